import Foundation
@testable import Deployment
@testable import COLORuntime
@testable import Scenarios
@testable import Teaching

/// One short run of the default scenario shared by the teaching-view tests, and their golden files.
enum TeachFixtures {
    static let run: TeachRun? = {
        var configuration = COLORunConfiguration.defaultScenario
        configuration.duration = .milliseconds(300)
        return try? TeachRun(configuration)
    }()

    static var updating: Bool {
        ProcessInfo.processInfo.environment["LOCKSTEP_UPDATE_GOLDENS"] == "1"
    }

    /// Compares with `Fixtures/teach/NAME`, or rewrites it when updating; nil when equal.
    static func checkGolden(_ actual: String, name: String, file: String = #filePath) throws -> String? {
        if updating {
            let url = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Fixtures/teach/\(name)")
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return nil
        }
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2,
              let url = Bundle.module.url(forResource: parts[0], withExtension: parts[1], subdirectory: "Fixtures/teach") else {
            return "no golden file teach/\(name): run LOCKSTEP_UPDATE_GOLDENS=1 swift test --filter Teach"
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        guard actual != expected else { return nil }
        let got = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(got.count, want.count) {
            let a = index < got.count ? String(got[index]) : "<end>"
            let b = index < want.count ? String(want[index]) : "<end>"
            if a != b { return "teach/\(name) differs at line \(index + 1):\n  golden: \(b)\n  now:    \(a)" }
        }
        return "teach/\(name) differs"
    }
}
