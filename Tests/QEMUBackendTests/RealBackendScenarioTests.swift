import Testing
import COLORuntime
import Scenarios
import QEMUHarness
@testable import QEMUBackend

/// Library scenarios on two real QEMU processes, compared with their emulated runs: one with a
/// divergence checkpoint, one with rewriter offsets, a failover of each host, and a chardev
/// fault. Each must agree (at least as far as both runs went) or differ where its `real_qemu`
/// note says. Skipped without QEMU locally; with CI set, a missing QEMU fails them.
@Suite(
    "Real backend: library scenarios on real QEMU agree with the emulation",
    .serialized,
    .enabled(if: QEMULocator.oracleTestsEnabled, Comment(rawValue: QEMULocator.skipMessage))
)
struct RealBackendScenarioTests {
    func compare(_ name: String) throws -> BackendComparison {
        let binary = try QEMUBinary.resolve(nil)
        let scenario = try ScenarioParser.load(path: ScenarioPaths.library + "/\(name).yaml")
        return BackendComparison.run(scenario, binary: binary)
    }

    func check(_ comparison: BackendComparison) throws {
        let report = try #require(comparison.real.report, "\(comparison.real.errors)")
        guard case .qemu = report.backend else {
            Issue.record("the real run's report does not say it ran on QEMU")
            return
        }
        let asDocumented = comparison.matchesDocumentation
        #expect(asDocumented, Comment(rawValue: comparison.text))
        let explained = report.invariant("compare_explained")?.status == .holds
        #expect(explained, Comment(rawValue: report.invariant("compare_explained")?.detail ?? "no compare_explained verdict"))
        if comparison.scenario.realQEMU?.differsIn.isEmpty ?? true {
            let passed = comparison.real.passed
            #expect(passed, Comment(rawValue: comparison.real.lines.filter { $0.hasPrefix("FAIL") }.joined(separator: "\n")))
        }
    }

    @Test("divergent-response: one payload-mismatch checkpoint, explained the same way")
    func divergenceCheckpoint() throws {
        let comparison = try compare("divergent-response")
        try check(comparison)
        #expect(comparison.real.report?.checkpoints.map(\.trigger.token) == ["payload_mismatch"])
    }

    @Test("isn-offset: the real rewriter translates four connections' offsets; no checkpoint")
    func rewriterOffset() throws {
        let comparison = try compare("isn-offset")
        try check(comparison)
        #expect(comparison.real.report?.checkpoints.isEmpty == true)
    }

    @Test("secondary-loss: x-colo-lost-heartbeat on the primary, then the documented teardown")
    func primaryFailover() throws {
        let comparison = try compare("secondary-loss")
        try check(comparison)
        let steps = comparison.real.report?.controllerEvents.compactMap { item -> String? in
            if case .teardown(let step) = item.event { step } else { nil }
        }
        #expect(steps == ["object-del comp0", "object-del m0", "object-del redire0", "object-del redire1"])
    }

    @Test("primary-failover: the secondary takes over mid-download; the client reads every byte once")
    func secondaryFailover() throws {
        try check(try compare("primary-failover"))
    }

    @Test("chardev-disconnect: the relay resets red1 for a second; timeouts until the secondary reconnects")
    func chardevFault() throws {
        let comparison = try compare("chardev-disconnect")
        try check(comparison)
        let reconnected = comparison.real.report?.controllerEvents.contains { item in
            if case .chardevReconnected("red1") = item.event { true } else { false }
        }
        #expect(reconnected == true)
    }

    @Test("compare-deletion-flush: both runs lose the response a deleted compare held (C-28) and agree")
    func deletionFlushAgrees() throws {
        let comparison = try compare("compare-deletion-flush")
        try check(comparison)
        #expect(comparison.scenario.realQEMU == nil)
        let verdict = comparison.diff?.verdict
        #expect(verdict == .agree, Comment(rawValue: comparison.text))
    }
}
