import Foundation
import Testing
import Fabric
import Deployment
import COLORuntime
import Scenarios
@testable import QEMUBackend

/// The diff itself, on emulated runs (no QEMU needed): a run against itself agrees; a missing
/// checkpoint diverges; a shorter release track is a cut.
@Suite("Real backend: comparing two runs decision by decision")
struct BackendDiffTests {
    static func report(_ name: String) throws -> RunReport {
        let scenario = try ScenarioParser.load(path: ScenarioPaths.library + "/\(name).yaml")
        var outputs = RunOutputs()
        outputs.keepsFullLog = true
        let outcome = ScenarioRunner.run(scenario, outputs: outputs)
        return try #require(outcome.report)
    }

    @Test("A run compared with itself agrees on every track")
    func itself() throws {
        let report = try Self.report("divergent-response")
        let diff = BackendDiff(emulated: report, real: report, topology: .reference)
        #expect(diff.verdict == .agree)
        #expect(diff.tracks.map(\.name).contains("checkpoints"))
        #expect(diff.tracks.contains { $0.name.hasPrefix("releases 10.0.0.2:80") })
    }

    @Test("A missing checkpoint diverges in the checkpoints track, with both sides' explanations")
    func missingCheckpoint() throws {
        let report = try Self.report("divergent-response")
        var other = report
        other.checkpoints = []
        let diff = BackendDiff(emulated: report, real: other, topology: .reference)
        #expect(diff.verdict == .diverge)
        let first = try #require(diff.firstDifference)
        #expect(first.track == "checkpoints")
        #expect(first.emulatedKey == "payload_mismatch")
        #expect(first.emulatedExplanation?.contains("payload mismatch") == true)
        #expect(first.realKey == nil)
        #expect(diff.text.contains("DIFFER: first difference in checkpoints, decision 1"))
    }

    @Test("A run that released fewer frames, all equal to the other's first ones, is a cut, not a divergence")
    func cut() throws {
        let report = try Self.report("clean-run")
        var shorter = report
        let lastRelease = try #require(shorter.fullLog?.lastIndex { entry in
            if case .net(.injectionStarted(_, "redire0", _, _, _)) = entry.event { true } else { false }
        })
        shorter.fullLog?.remove(at: lastRelease)
        let diff = BackendDiff(emulated: report, real: shorter, topology: .reference)
        #expect(diff.verdict == .cut)
        #expect(diff.agreesAsFarAsBothWent)
    }
}

enum ScenarioPaths {
    /// The repository's scenario library.
    static let library: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("scenarios").path
    }()
}
