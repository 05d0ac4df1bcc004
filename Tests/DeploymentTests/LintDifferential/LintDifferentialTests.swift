import Foundation
import Testing
@testable import Deployment

/// `lockstep lint` against real QEMU 7.2, variant by variant: every finding's claim about QEMU
/// (outcome, message, warning) and the pipes the lint pairs are compared with what the two
/// QEMUs do. Runs as root in private network namespaces, with real taps. Where QEMU is missing
/// the test is skipped, except under CI, where it fails.
@Suite("lint against real QEMU 7.2", .serialized)
struct LintDifferentialTests {
    static let qemu: String? = {
        let environment = ProcessInfo.processInfo.environment
        if let override = environment["LOCKSTEP_QEMU"], !override.isEmpty {
            return FileManager.default.isExecutableFile(atPath: override) ? override : nil
        }
        return (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/qemu-system-x86_64" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static let continuousIntegration = !(ProcessInfo.processInfo.environment["CI"] ?? "").isEmpty

    /// Why the test does not run here; nil when it does. Without root no namespace can be made
    /// (CI runs as root); without QEMU it is skipped, unless CI is set, where it must fail.
    static let skipReason: String? = {
        if let reason = NetworkNamespace.unavailableReason { return reason }
        if qemu == nil, !continuousIntegration {
            return "qemu-system-x86_64 is not installed: the lint differential is skipped (it fails instead when CI is set)"
        }
        return nil
    }()

    /// Seed and size of the random family; LOCKSTEP_LINTDIFF_RANDOM overrides the count.
    static let randomSeed: UInt64 = 7
    static let randomCount = Int(ProcessInfo.processInfo.environment["LOCKSTEP_LINTDIFF_RANDOM"] ?? "") ?? 120

    /// Parallel workers, each with its own namespace (LOCKSTEP_LINTDIFF_WORKERS overrides).
    static let workers = Int(ProcessInfo.processInfo.environment["LOCKSTEP_LINTDIFF_WORKERS"] ?? "") ?? 3

    @Test("Every claim of the lint about QEMU 7.2 holds, variant by variant", .enabled(if: skipReason == nil, Comment(rawValue: skipReason ?? "")))
    func lintAgreesWithQEMU() throws {
        guard let executable = Self.qemu else {
            Issue.record("CI is set but qemu-system-x86_64 is not installed: the lint differential cannot run")
            return
        }
        var variants = LintVariantCatalog.all(randomSeed: Self.randomSeed, randomCount: Self.randomCount)
        if let only = ProcessInfo.processInfo.environment["LOCKSTEP_LINTDIFF_ONLY"], !only.isEmpty {
            variants = variants.filter { $0.id.contains(only) }
        }
        let outcome = try DifferentialRun.run(variants, executable: executable, workers: Self.workers)
        print(outcome.report)
        #expect(outcome.checked >= (variants.count > 300 ? 300 : 0), "too few variants checked: \(outcome.checked)")
        for failure in outcome.unexpected {
            Issue.record(Comment(rawValue: failure))
        }
        for stale in outcome.staleExpectations {
            Issue.record(Comment(rawValue: "expected a difference that no longer occurs, remove it from LintDifferenceCatalog: \(stale)"))
        }
    }
}
