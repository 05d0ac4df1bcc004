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
            timestamps). Times are microseconds since the earliest frame of either capture. Frames \
            the capture cut short (caplen < len) are compared as captured, with a warning and a \
            count in the summary. A timeout request the scan repeats while its packet stays queued \
            is one line with a repeat count. Exit status 2 when a capture cannot be read, 1 when \
            --out cannot be written.
            """
    )

    enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "Capture of the primary guest's output (what reaches primary_in).")
    var primary: String

    @Argument(help: "Capture of the secondary guest's output (what reaches secondary_in).")
    var secondary: String

    @Option(name: .customLong("compare-timeout"), parsing: .unconditional, help: "compare_timeout in ms (1-4294967295).")
    var compareTimeout: Int64 = Int64(COLOCompare.Configuration.defaultCompareTimeoutMs)

    @Option(name: .customLong("expired-scan-cycle"), parsing: .unconditional, help: "expired_scan_cycle in ms (1-4294967295).")
    var expiredScanCycle: Int64 = Int64(COLOCompare.Configuration.defaultExpiredScanCycleMs)

    @Option(name: .customLong("max-queue-size"), parsing: .unconditional, help: "max_queue_size (1-4294967295; a queue holds at most this plus one).")
    var maxQueueSize: Int64 = Int64(CompareProcess.defaultMaxQueueSize)

    @Option(name: .customLong("checkpoint-at"), parsing: .unconditionalSingleValue,
            help: "A COLO checkpoint completes (flush) at this time in µs after the earliest frame (0-\(CaptureTimes.latestUs)); repeatable.")
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
        for (value, name) in [(compareTimeout, "--compare-timeout"), (expiredScanCycle, "--expired-scan-cycle"), (maxQueueSize, "--max-queue-size")] {
            try OptionRange.check(value, name, 1...Int64(UInt32.max))
        }
        for time in checkpointAt { try OptionRange.check(time, "--checkpoint-at", 0...CaptureTimes.latestUs) }
    }

    func run() throws {
        let primaryFrames = try Self.read(primary)
        let secondaryFrames = try Self.read(secondary)
        let options = CaptureCompareOptions(
            compareTimeoutMs: UInt32(compareTimeout), expiredScanCycleMs: UInt32(expiredScanCycle), maxQueueSize: UInt32(maxQueueSize),
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
            let records = try PcapReader.readAll(path: path)
            for warning in CaptureDamage(records).warnings(path: path) { fail(warning) }
            return records.map(CapturedFrame.init)
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
        printError(message)
    }
}
