import Foundation
import Testing
import LockstepTestSupport

/// `lockstep sweep-failover` end to end: JSON summary, one point in detail, exit statuses.
@Suite("lockstep sweep-failover")
struct CLISweepFailoverTests {
    let binary: URL
    static let library = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scenarios").path

    init() throws {
        binary = try #require(LockstepBinary.locate(), "\(LockstepBinary.notFoundMessage)")
    }

    @Test("K-10: --max-points 4 --format json: four points at event indices, a summary, exit 0")
    func jsonSummary() throws {
        let result = try LockstepBinary.run(
            binary, ["sweep-failover", Self.library + "/handshake-straddling-checkpoint.yaml", "--max-points", "4", "--format", "json"])
        #expect(result.status == 0, "stderr: \(result.error)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let points = try #require(object["points"] as? [[String: Any]])
        #expect(points.count == 4)
        #expect(points.allSatisfy { $0["event"] is String && $0["eventIndex"] is Int })
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["points"] as? Int == 4 && summary["broken"] as? Int == 0)
    }

    @Test("one broken point with --trace: its verdict and violation, the trace written, exit 1")
    func brokenPointTraced() throws {
        let trace = FileManager.default.temporaryDirectory
            .appendingPathComponent("lockstep-sweep-\(ProcessInfo.processInfo.processIdentifier).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: trace) }
        let result = try LockstepBinary.run(
            binary, ["sweep-failover", Self.library + "/divergent-response.yaml", "--from", "50", "--to", "50", "--trace", trace])
        #expect(result.status == 1, "stderr: \(result.error)")
        #expect(result.output.contains("broken: streams_intact"))
        #expect(result.output.contains("VIOLATION streams_intact"))
        let lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
        #expect(lines.contains { $0.contains("\"host_lost\"") || $0.contains("host lost") })
    }

    @Test("--trace without a single point is refused")
    func traceNeedsOnePoint() throws {
        let result = try LockstepBinary.run(binary, ["sweep-failover", Self.library + "/clean-run.yaml", "--trace", "/tmp/unused.jsonl"])
        #expect(result.status != 0 && result.status != 1)
        #expect(result.error.contains("--from I --to I"))
    }
}
