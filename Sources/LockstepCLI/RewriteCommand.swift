import ArgumentParser
import Glibc
import Fabric
import Secondary

/// `lockstep rewrite`: replays a capture through the filter-rewriter engine (spec §8) and
/// writes every frame as it leaves the rewriter. The work is done by `CaptureRewrite`.
struct RewriteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rewrite",
        abstract: "Replay a capture through QEMU's filter-rewriter and explain every decision.",
        discussion: """
            Frames whose IPv4 source is --guest-ip come from the guest (secondary-side rules); \
            every other frame goes to the guest (primary-side rules). Times are microseconds \
            since the first frame. OUT holds every frame as it leaves the rewriter, in order, \
            with its input timestamp.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    @Argument(help: "The input capture (pcap, Ethernet link type).")
    var capture: String

    @Option(name: .customLong("guest-ip"), help: "The guest's IPv4 address (A.B.C.D).")
    var guestIP: String

    @Option(name: .customLong("out"), help: "Where to write the rewritten capture.")
    var out: String

    @Option(name: .customLong("checkpoint-at"), parsing: .unconditionalSingleValue,
            help: "A checkpoint at this many µs after the first frame (0-\(CaptureTimes.latestUs); repeatable).")
    var checkpointAt: [Int64] = []

    @Option(name: .customLong("failover-at"), parsing: .unconditional, help: "A failover at this many µs after the first frame (0-\(CaptureTimes.latestUs)).")
    var failoverAt: Int64?

    @Option(help: "Quirk profile: upstream, qemu-7.2 or fixed.")
    var profile: String = RewriterProfile.upstream.name

    @Option(help: "Report format: text or json (one object per line).")
    var format: Format = .text

    func validate() throws {
        for time in checkpointAt { try OptionRange.check(time, "--checkpoint-at", 0...CaptureTimes.latestUs) }
        try OptionRange.check(failoverAt, "--failover-at", 0...CaptureTimes.latestUs)
    }

    func run() throws {
        guard let guest = IPv4Address(guestIP) else {
            fail("--guest-ip '\(guestIP)' is not an IPv4 address (expected A.B.C.D)")
        }
        guard let chosenProfile = RewriterProfile.named(profile) else {
            fail("--profile '\(profile)' is unknown (expected upstream, qemu-7.2 or fixed)")
        }
        let records: [PcapRecord]
        do {
            records = try PcapReader.readAll(path: capture)
        } catch {
            fail(error.description)
        }
        let damage = CaptureDamage(records)
        for warning in damage.warnings(path: capture) { printError(warning) }
        let input = records.map(TimedFrame.init)
        let options = CaptureRewriteOptions(
            guestAddress: guest, checkpointTimes: checkpointAt, failoverTime: failoverAt, profile: chosenProfile)
        let result = CaptureRewrite.run(input, options: options)

        do {
            try result.writeOutput(toCapture: out, input: records)
        } catch {
            fail(error.description, status: 1)
        }

        switch format {
        case .json:
            for event in result.events { print(RewriteReport.jsonLine(event)) }
            if damage.truncated + damage.badFractions > 0 {
                print("{\"event\":\"capture_damage\",\"cut_short\":\(damage.truncated),\"bad_fractions\":\(damage.badFractions)}")
            }
        case .text:
            for line in RewriteReport.textLines(result, input: input) { print(line) }
            if damage.truncated > 0 {
                print("cut short by the capture: \(damage.truncated) frame(s), rewritten as captured (their wire length kept in OUT)")
            }
        }
    }

    /// One line on stderr, then exit: 2 for bad input, 1 when the output cannot be written.
    private func fail(_ message: String, status: Int32 = 2) -> Never {
        let line = Array("lockstep rewrite: error: \(message)\n".utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        Self.exit(withError: ExitCode(status))
    }
}
