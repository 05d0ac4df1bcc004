import Testing
import Fabric
import QEMUHarness

/// Measures the oracles' step costs when LOCKSTEP_ORACLE_TIMING is set (a benchmark, so the
/// wall clock is allowed here). Run: LOCKSTEP_ORACLE_TIMING=1 swift test --filter QEMUOracleTiming
@Suite("QEMU oracle timing")
struct QEMUOracleTimingTests {
    static var requested: Bool { QEMULocator.environment("LOCKSTEP_ORACLE_TIMING") != nil && QEMULocator.find() != nil }
    static let rounds = 500

    func microseconds(_ duration: Duration, per count: Int) -> Int {
        let components = duration.components
        let total = Double(components.seconds) * 1e6 + Double(components.attoseconds) / 1e12
        return Int(total / Double(count))
    }

    @Test("step cost of both oracles", .enabled(if: requested))
    func stepCost() throws {
        let clock = ContinuousClock()
        let guest = Endpoint([10, 0, 0, 1], 80), client = Endpoint([10, 0, 0, 9], 40_000)
        var compare: CompareOracle?
        let startCompare = clock.measure { compare = try? CompareOracle() }
        let oracle = try #require(compare)
        defer { oracle.shutdown() }
        let frames = (0..<Self.rounds).map { CaseFrames.udp(from: guest, to: client, payload: [UInt8(truncatingIfNeeded: $0), 1]) }
        let primaries = try clock.measure { for frame in frames { _ = try oracle.sendPrimary(frame) } }
        let secondaries = try clock.measure { for frame in frames { _ = try oracle.sendSecondary(frame) } }
        let checkpoints = try clock.measure { for _ in 0..<Self.rounds { _ = try oracle.checkpoint() } }

        var rewriter: RewriterOracle?
        let startRewriter = clock.measure { rewriter = try? RewriterOracle() }
        let rewriterOracle = try #require(rewriter)
        defer { rewriterOracle.shutdown() }
        let segments = (0..<Self.rounds).map {
            CaseFrames.tcp(from: client, to: guest, seq: UInt32($0), ack: 1, flags: [.ack], payload: [1])
        }
        let toGuest = try clock.measure { for frame in segments { _ = try rewriterOracle.sendToGuest(frame) } }
        let fromGuest = try clock.measure { for frame in segments { _ = try rewriterOracle.sendFromGuest(frame) } }

        print("""
            oracle timing (\(Self.rounds) steps each, µs per step):
              compare start \(microseconds(startCompare, per: 1)) µs; primary \(microseconds(primaries, per: Self.rounds)); \
            secondary \(microseconds(secondaries, per: Self.rounds)); checkpoint \(microseconds(checkpoints, per: Self.rounds))
              rewriter start \(microseconds(startRewriter, per: 1)) µs; to-guest \(microseconds(toGuest, per: Self.rounds)); \
            from-guest \(microseconds(fromGuest, per: Self.rounds))
            """)
    }
}
