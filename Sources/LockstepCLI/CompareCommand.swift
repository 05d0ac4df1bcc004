import ArgumentParser
import Foundation
import Fabric
import Primary
import Deployment

/// `lockstep compare`: replay a primary and a secondary capture through colo-compare and
/// explain every decision. The logic is `CaptureCompare` in Primary; this only reads and writes
/// files and picks a rendering.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Run colo-compare over a primary and a secondary capture and explain each decision.",
        discussion: """
            Frames of both captures enter the compare in timestamp order (primary first on equal \
            timestamps). Times are microseconds since the earliest frame of either capture. Exit \
            status 2 when a capture cannot be read.
            """
    )

    enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "Capture of the primary guest's output (what reaches primary_in).")
    var primary: String

    @Argument(help: "Capture of the secondary guest's output (what reaches secondary_in).")
    var secondary: String

    @Option(name: .customLong("compare-timeout"), help: "compare_timeout in ms.")
    var compareTimeout: UInt32 = COLOCompare.Configuration.defaultCompareTimeoutMs

    @Option(name: .customLong("expired-scan-cycle"), help: "expired_scan_cycle in ms.")
    var expiredScanCycle: UInt32 = COLOCompare.Configuration.defaultExpiredScanCycleMs

    @Option(name: .customLong("max-queue-size"), help: "max_queue_size (a queue holds at most this plus one).")
    var maxQueueSize: UInt32 = CompareProcess.defaultMaxQueueSize

    @Option(name: .customLong("checkpoint-at"), help: "A COLO checkpoint completes (flush) at this time in µs; repeatable.")
    var checkpointAt: [Int64] = []

    @Option(help: "upstream, qemu-6.2 or fixed.")
    var profile: String = CompareProfile.upstream.name

    @Option(help: "text or json (one object per line).")
    var format: ReportFormat = .text

    @Option(help: "Write the frames released to outdev, in outdev order, to this capture.")
    var out: String?

    func validate() throws {
        guard CompareProfile(named: profile) != nil else {
            throw ValidationError("unknown profile '\(profile)'; use one of: \(CompareProfile.all.map(\.name).joined(separator: ", "))")
        }
        for (value, name) in [(compareTimeout, "--compare-timeout"), (expiredScanCycle, "--expired-scan-cycle"), (maxQueueSize, "--max-queue-size")]
        where value == 0 {
            throw ValidationError("\(name) requires a positive value")
        }
    }

    func run() throws {
        let primaryFrames = try Self.read(primary)
        let secondaryFrames = try Self.read(secondary)
        let options = CaptureCompareOptions(
            compareTimeoutMs: compareTimeout, expiredScanCycleMs: expiredScanCycle, maxQueueSize: maxQueueSize,
            checkpointsUs: checkpointAt, profile: CompareProfile(named: profile) ?? .upstream)
        let result = CaptureCompare.run(primary: primaryFrames, secondary: secondaryFrames, options: options)
        let lines = switch format {
        case .json: CompareJSONReport.lines(result)
        case .text: CompareTextReport.lines(result, primary: primaryFrames, secondary: secondaryFrames, options: options)
        }
        print(lines.joined(separator: "\n"))
        if let out { try Self.write(result, to: out) }
    }

    static func read(_ path: String) throws -> [CapturedFrame] {
        do {
            return try PcapReader.readAll(path: path).map(CapturedFrame.init)
        } catch {
            fail("lockstep compare: \(error)")
            throw ExitCode(2)
        }
    }

    static func write(_ result: CaptureCompareResult, to path: String) throws {
        do {
            try result.writeReleased(toCapture: path)
        } catch {
            fail("lockstep compare: \(error)")
            throw ExitCode(1)
        }
    }

    static func fail(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
