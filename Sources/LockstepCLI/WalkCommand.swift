import ArgumentParser
import Foundation
import Deployment
import Scenarios
import Teaching

/// `lockstep walk`: one frame's journey hop by hop, each hop the figure with the current
/// component highlighted and one line saying what happened there.
struct WalkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "walk",
        abstract: "Step through one frame's journey across both hosts, hop by hop.",
        discussion: """
            SCENARIO is a scenario file or `default`. --frame N picks the Nth frame the primary's \
            tap receives from the client; --guest-frame N the Nth frame the primary guest sends. \
            On a terminal: Enter or n = next, p = previous, q = quit. Piped: every hop as plain text.
            """
    )

    @Argument(help: "A scenario file, or `default`.")
    var scenario: String = "default"

    @Option(parsing: .unconditional, help: "Follow the Nth frame (1-based) from the client.")
    var frame: Int?

    @Option(parsing: .unconditional, help: "Follow the Nth frame (1-based) the primary guest sends.")
    var guestFrame: Int?

    @Option(help: "Follow the first frame (from the client or the primary guest) whose summary contains this text, e.g. \"Flags [S.]\".")
    var match: String?

    @Option(parsing: .unconditional, help: "Virtual time to run, e.g. 300ms (default: the scenario's; positive, at most 100 days).")
    var duration: DurationArgument?

    @Flag(help: "Draw with box-drawing characters.")
    var unicode = false

    @Flag(help: "Only the list of hops, no figures.")
    var summary = false

    func validate() throws {
        if [frame == nil, guestFrame == nil, match == nil].filter({ !$0 }).count != 1 {
            throw ValidationError("give exactly one of --frame N, --guest-frame N or --match TEXT")
        }
        try OptionRange.check(frame, "--frame", 1...Int.max)
        try OptionRange.check(guestFrame, "--guest-frame", 1...Int.max)
        try OptionRange.check(duration, "--duration", positive: true)
    }

    func run() throws {
        let configuration = try TeachScenario.configuration(scenario, duration: duration)
        let run = try TeachScenario.run(configuration)
        let selector: FrameSelector = frame.map(FrameSelector.client) ?? match.map(FrameSelector.matching) ?? .guest(guestFrame ?? 1)
        let walk: FrameWalk
        do {
            walk = try FrameWalker(entries: run.entries, topology: run.topology).walk(selector)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(2)
        }
        let style: FigureStyle = unicode ? .unicode : .ascii
        if summary {
            print(FrameWalkText.summary(walk), terminator: "")
        } else if isatty(STDOUT_FILENO) == 1 && isatty(STDIN_FILENO) == 1 && !walk.hops.isEmpty {
            interact(walk, topology: run.topology, style: style)
        } else {
            print(FrameWalkText.plain(walk, topology: run.topology, style: style), terminator: "")
        }
    }

    private func interact(_ walk: FrameWalk, topology: Topology, style: FigureStyle) {
        var number = 0
        while true {
            print("\u{1B}[2J\u{1B}[H" + FrameWalkText.step(walk, number, topology: topology, style: style), terminator: "")
            print("[Enter/n] next  [p] previous  [q] quit > ", terminator: "")
            guard let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() else { return }
            switch answer {
            case "q": return
            case "p": number = max(0, number - 1)
            default:
                if number + 1 >= walk.hops.count { return }
                number += 1
            }
        }
    }
}
