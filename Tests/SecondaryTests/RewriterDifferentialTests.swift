import LockstepTestSupport
import Testing
@testable import Fabric
@testable import Secondary
import QEMUHarness

/// Differential tests: the same steps on QEMU 7.2's filter-rewriter (the harness's oracle) and
/// on our engine with the `qemu-7.2` profile; every step's outputs must be byte-identical.
@Suite("Rewriter vs QEMU 7.2 (differential)")
struct RewriterDifferentialTests {
    static let enabled = QEMULocator.oracleTestsEnabled

    func compare(_ name: String, _ steps: [ExtendedRewriterStep]) throws {
        var engine = EngineRewriterStepper(profile: .qemu72)
        let ours = try engine.play(steps, name: name)
        let oracle = try RewriterOracle()
        defer { oracle.shutdown() }
        var qemu = oracle
        let theirs = try qemu.play(steps, name: name)
        if let difference = ours.firstDifference(from: theirs) {
            Issue.record("\(name): engine (this) and QEMU (other) differ at \(difference)\nQEMU transcript:\n\(theirs)")
        }
    }

    @Test(
        "RW-1..RW-16: the harness's rewriter catalogue gives identical transcripts on QEMU and the engine",
        .enabled(if: enabled, Comment(rawValue: QEMULocator.skipMessage)),
        arguments: DifferentialCases.rewriter
    )
    func catalogue(_ testCase: RewriterCase) throws {
        try compare(testCase.name, testCase.steps.map { .step($0) })
    }

    @Test(
        "RW-13 (quirk): IP options of 4, 8, 12, 20 and 40 bytes, both directions, match QEMU byte for byte",
        .enabled(if: enabled, Comment(rawValue: QEMULocator.skipMessage))
    )
    func ipOptions() throws {
        let flows = DifferentialFlows()
        var steps = flows.passiveOpen(0)
        for length in [4, 8, 12, 20, 40] {
            let options = [UInt8](repeating: 1, count: length)
            steps.append(.step(.fromGuest(flows.fromGuest(0, seq: flows.s0 &+ 1, ack: flows.c0 &+ 1, [.ack, .psh], payload: [1, 2, 3], ipOptions: options))))
            steps.append(.step(.toGuest(flows.toGuest(0, seq: flows.c0 &+ 1, ack: flows.p0 &+ 4, [.ack], ipOptions: options))))
            steps.append(.step(.toGuest(flows.toGuest(0, seq: flows.c0 &+ 1, ack: flows.p0 &+ 4, [.ack, .fin], payload: [9], ipOptions: options))))
        }
        try compare("ip-options", steps)
    }

    @Test(
        "RW-6/F-13/F-14: copies held while the VM is stopped leave with the next copy, from either side, as in QEMU",
        .enabled(if: enabled, Comment(rawValue: QEMULocator.skipMessage))
    )
    func heldCopies() throws {
        let flows = DifferentialFlows()
        var steps = flows.passiveOpen(0) + flows.passiveOpen(1)
        // The oracle's barrier assumes a step's effects land behind its own direction's marker,
        // so each release here is triggered by a frame of the same direction as the held copies.
        steps += [.stopVM,
                  .step(.toGuest(flows.toGuest(0, seq: flows.c0 &+ 1, ack: flows.p0 &+ 1, [.ack, .psh], payload: [1]))),
                  .step(.toGuest(flows.udpToGuest())),
                  .step(.checkpoint),
                  .step(.toGuest(flows.toGuest(1, seq: flows.c0 &+ 1, ack: flows.p0 &+ 1, [.ack]))),
                  .resumeVM,
                  .step(.toGuest(flows.udpToGuest())),
                  .step(.toGuest(flows.toGuest(0, seq: flows.c0 &+ 2, ack: flows.p0 &+ 2, [.ack]))),
                  .stopVM,
                  .step(.fromGuest(flows.fromGuest(1, seq: flows.s0 &+ 1, ack: flows.c0 &+ 1, [.ack, .psh], payload: [2]))),
                  .step(.fromGuest(flows.fromGuest(0, seq: flows.s0 &+ 1, ack: flows.c0 &+ 2, [.ack], payload: [3]))),
                  .resumeVM,
                  .step(.fromGuest(flows.fromGuest(0, seq: flows.s0 &+ 2, ack: flows.c0 &+ 2, [.ack])))]
        try compare("held-copies", steps)
    }

    @Test(
        "RW-2..RW-15: seeded random streams (all flag combinations, several connections, guest and client opens, non-TCP, checkpoints) match QEMU",
        .enabled(if: enabled, Comment(rawValue: QEMULocator.skipMessage)),
        arguments: Array(UInt64(1)...40)
    )
    func randomStreams(seed: UInt64) throws {
        try compare("random-\(seed)", DifferentialFlows.randomSteps(seed: seed))
    }

    @Test(
        "P-1 divergence: QEMU 7.2 aborts on a zero-length frame (assertion in parse_packet_early); the engine passes it untouched",
        .enabled(if: enabled, Comment(rawValue: QEMULocator.skipMessage))
    )
    func zeroLengthFrame() throws {
        var engine = EngineRewriterStepper(profile: .qemu72)
        #expect(engine.sendFromGuest(Frame([])) == RewriterStepOutput(fromGuest: [Frame([])]))
        let oracle = try RewriterOracle()
        defer { oracle.shutdown() }
        #expect(throws: OracleError.self) { try oracle.sendFromGuest(Frame([])) }
        #expect(!oracle.isQEMURunning)
        #expect(oracle.qemuStderr.contains("parse_packet_early"))
    }

    @Test("Engine transcripts of the catalogue are reproducible (runs without QEMU)")
    func engineReproducible() throws {
        for testCase in DifferentialCases.rewriter {
            var first = EngineRewriterStepper(profile: .qemu72)
            var second = EngineRewriterStepper(profile: .qemu72)
            let a = try testCase.run(on: &first)
            let b = try testCase.run(on: &second)
            #expect(a == b)
            #expect(a.outputs.count == testCase.steps.count)
        }
        for seed in UInt64(1)...12 {
            var first = EngineRewriterStepper(profile: .qemu72)
            var second = EngineRewriterStepper(profile: .qemu72)
            #expect(try first.play(DifferentialFlows.randomSteps(seed: seed), name: "r") == second.play(DifferentialFlows.randomSteps(seed: seed), name: "r"))
        }
    }
}

/// Frames for the extended differential cases: connections between clients 10.0.0.9:4100n
/// and the guest 10.0.0.1:80 (the harness's addresses).
struct DifferentialFlows {
    let guest = IPv4Address(10, 0, 0, 1)
    let client = IPv4Address(10, 0, 0, 9)
    var c0: UInt32 = 1_000
    var p0: UInt32 = 7_000
    var s0: UInt32 = 90_000

    func port(_ connection: Int) -> UInt16 { UInt16(41_000 + connection) }

    func toGuest(_ connection: Int, seq: UInt32, ack: UInt32, _ flags: TCPFlags, payload: [UInt8] = [], ipOptions: [UInt8] = []) -> Frame {
        var builder = IPv4FrameBuilder(source: client, destination: guest)
        builder.ipOptions = ipOptions
        return builder.tcp(sourcePort: port(connection), destinationPort: 80, seq: seq, ack: ack, flags: flags, payload: payload)
    }

    func fromGuest(_ connection: Int, seq: UInt32, ack: UInt32, _ flags: TCPFlags, payload: [UInt8] = [], ipOptions: [UInt8] = []) -> Frame {
        var builder = IPv4FrameBuilder(source: guest, destination: client)
        builder.ipOptions = ipOptions
        return builder.tcp(sourcePort: 80, destinationPort: port(connection), seq: seq, ack: ack, flags: flags, payload: payload)
    }

    func udpToGuest() -> Frame {
        IPv4FrameBuilder(source: client, destination: guest).udp(sourcePort: 53, destinationPort: 53, payload: [7])
    }

    func passiveOpen(_ connection: Int) -> [ExtendedRewriterStep] {
        [.step(.toGuest(toGuest(connection, seq: c0, ack: 0, .syn))),
         .step(.fromGuest(fromGuest(connection, seq: s0, ack: c0 &+ 1, [.syn, .ack]))),
         .step(.toGuest(toGuest(connection, seq: c0 &+ 1, ack: p0 &+ 1, .ack)))]
    }

    /// Random steps over a few connections: any flag byte, ISN-relative or random numbers,
    /// occasional IP options, non-TCP frames and checkpoints. Deterministic per seed.
    static func randomSteps(seed: UInt64) -> [ExtendedRewriterStep] {
        var random = SeededGenerator(seed: seed &* 0x9E37_79B9)
        var flows = DifferentialFlows()
        flows.c0 = UInt32.random(in: 0...UInt32.max, using: &random)
        flows.p0 = Bool.random(using: &random) ? UInt32.max &- UInt32.random(in: 0...64, using: &random) : UInt32.random(in: 0...UInt32.max, using: &random)
        flows.s0 = UInt32.random(in: 0...UInt32.max, using: &random)
        let flagChoices: [TCPFlags] = [.syn, [.syn, .ack], .ack, [.ack, .psh], [.ack, .fin], .fin, [.rst], [.rst, .ack], [.syn, .fin], [.ack, .fin, .psh]]
        var steps: [ExtendedRewriterStep] = []
        for _ in 0..<(30 + Int.random(in: 0..<30, using: &random)) {
            let connection = Int.random(in: 0..<3, using: &random)
            let flags = Int.random(in: 0..<5, using: &random) == 0
                ? TCPFlags(rawValue: UInt8.random(in: 0...255, using: &random))
                : flagChoices[Int.random(in: 0..<flagChoices.count, using: &random)]
            let near = UInt32.random(in: 0...40, using: &random)
            let payload = (0..<Int.random(in: 0...12, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            let options: [UInt8] = Int.random(in: 0..<10, using: &random) == 0 ? [1, 1, 1, 1] : []
            switch Int.random(in: 0..<12, using: &random) {
            case 0..<5:
                let seq = flags.contains(.syn) ? flows.c0 : flows.c0 &+ 1 &+ near
                steps.append(.step(.toGuest(flows.toGuest(connection, seq: seq, ack: flows.p0 &+ 1 &+ near, flags, payload: payload, ipOptions: options))))
            case 5..<10:
                let base = Bool.random(using: &random) ? flows.s0 : flows.p0
                let seq = flags.contains(.syn) ? base : base &+ 1 &+ near
                steps.append(.step(.fromGuest(flows.fromGuest(connection, seq: seq, ack: flows.c0 &+ 1 &+ near, flags, payload: payload, ipOptions: options))))
            case 10:
                steps.append(.step(.checkpoint))
            default:
                // Never an empty frame: QEMU aborts on one (see zeroLengthFrame).
                steps.append(.step(Bool.random(using: &random) ? .toGuest(flows.udpToGuest()) : .fromGuest(Frame([0x5a] + payload))))
            }
        }
        return steps
    }
}
