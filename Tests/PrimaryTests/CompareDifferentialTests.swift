import Testing
import Fabric
import Primary
import QEMUHarness

/// The engine against real QEMU 7.2, step by step: for every case of the harness's catalogue
/// (TCP resegmentation, ack gate, pure ACKs, retransmission, sequence wrap, UDP, ICMP, other
/// protocols, unparseable frames, queue limits, vnet headers, seeded random TCP streams and
/// datagrams) the `upstream` profile must produce the same transcript as QEMU: the same
/// frames on outdev in the same order, and the same DO_CHECKPOINT requests, after each step.
/// The oracle starts a fresh QEMU per case, so the engine models a fresh heap for reads past a
/// frame (`PastFrameReads.freshHeap`); every other switch is `upstream`'s.
@Suite("differential: engine (upstream) vs QEMU 7.2 colo-compare")
struct CompareDifferentialTests {
    @Test("The engine alone runs every catalogue case without trouble and releases every primary by the final flush",
          arguments: DifferentialCases.compare)
    func engineRunsCatalogue(_ testCase: CompareCase) throws {
        var engine = EngineCompareStepper(testCase)
        let transcript = try testCase.run(on: &engine)
        #expect(transcript.outputs.count == testCase.steps.count)
        #expect(engine.compare.queuedPrimaryCount == 0)
    }

    @Test("C-*: the engine's transcript equals QEMU's",
          .enabled(if: QEMULocator.oracleTestsEnabled, Comment(rawValue: QEMULocator.skipMessage)),
          arguments: DifferentialCases.compare)
    func matchesQEMU(_ testCase: CompareCase) throws {
        let qemu = try testCase.runOnQEMU()
        var engine = EngineCompareStepper(testCase)
        let ours = try testCase.run(on: &engine)
        if let difference = ours.firstDifference(from: qemu) {
            Issue.record("""
                \(testCase.name) (rules \(testCase.rules.joined(separator: ", "))) differs from QEMU at \(difference)
                QEMU:
                \(qemu)
                engine events:
                \(engine.events.map { "  \($0)" }.joined(separator: "\n"))
                """)
        }
    }
}

@Suite("differential: engine (upstream) vs QEMU 7.2 — corners and large resegmented streams")
struct CompareExtraDifferentialTests {
    @Test("C-*: the engine's transcript equals QEMU's",
          .enabled(if: QEMULocator.oracleTestsEnabled, Comment(rawValue: QEMULocator.skipMessage)),
          arguments: ExtraCompareCases.all)
    func matchesQEMU(_ testCase: CompareCase) throws {
        let qemu = try testCase.runOnQEMU()
        var engine = EngineCompareStepper(testCase, profile: ExtraCompareCases.profile(for: testCase))
        let ours = try testCase.run(on: &engine)
        if let difference = ours.firstDifference(from: qemu) {
            Issue.record("""
                \(testCase.name) (rules \(testCase.rules.joined(separator: ", "))) differs from QEMU at \(difference)
                engine events:
                \(engine.events.map { "  \($0)" }.joined(separator: "\n"))
                """)
        }
    }
}

@Suite("differential: notify_dev messages vs QEMU 7.2")
struct CompareNotifyDifferentialTests {
    @Test("C-26: COLO_USERSPACE_PROXY_INIT, unsupported messages and COLO_CHECKPOINT as QEMU answers them",
          .enabled(if: QEMULocator.oracleTestsEnabled, Comment(rawValue: QEMULocator.skipMessage)))
    func notifyMessages() throws {
        let oracle = try CompareOracle()
        defer { oracle.shutdown() }
        var engine = EngineCompareStepper(CompareCase(name: "notify", rules: ["C-26"], steps: []))
        let messages = ["COLO_USERSPACE_PROXY_INIT", "COLO_CHECKPOINT\u{0}", "HELLO", "COLO_CHECKPOINT"].map { Array($0.utf8) }
        #expect(try oracle.sendPrimary(Net.udp("queued")) == engine.sendPrimary(Net.udp("queued")))
        for message in messages {
            #expect(try oracle.sendNotify(message) == engine.sendNotify(message), "\(String(decoding: message, as: UTF8.self))")
        }
    }
}
