import Foundation
@testable import Deployment

/// Runs the variants on a pool of workers (each with its own network namespace) and sums up:
/// agreement rate, each difference with its class, and the time taken.
enum DifferentialRun {
    struct VariantResult: Sendable {
        let variant: LintVariant
        let disagreements: [Disagreement]
        let masked: [HostRole]
        /// Hosts whose outcome the lint says depends on the machine (host names).
        let depends: [HostRole]
        let seconds: Double
    }

    struct Outcome: Sendable {
        var report: String
        var checked: Int
        /// Disagreements nobody expected: each fails the test.
        var unexpected: [String]
        /// Expected differences that no longer occur.
        var staleExpectations: [String]
    }

    static func run(_ variants: [LintVariant], executable: String, workers: Int) throws -> Outcome {
        let began = ContinuousClock.now
        let runnable = variants.filter { $0.environment == nil }
        let results = try runPool(runnable, executable: executable, workers: max(1, workers))
        let elapsed = ContinuousClock.now - began
        return summarise(variants: variants, results: results, seconds: Double(elapsed.components.seconds))
    }

    /// One variant: lint it with the start order the run will use, start both QEMUs, compare.
    static func check(_ variant: LintVariant, executable: String, namespace: NetworkNamespace, directory: String) throws -> VariantResult {
        let primaryText = text(of: variant.primary)
        let secondaryText = text(of: variant.secondary)
        let version = QEMUVersionChoice.given(.v7_2)
        let draft = try QEMUArgsLinter.lint(primary: primaryText, secondary: secondaryText, options: LintOptions(qemu: version))
        let first = variant.first ?? startsFirst(draft.topology)
        let report = try QEMUArgsLinter.lint(primary: primaryText, secondary: secondaryText, options: LintOptions(startedFirst: first, qemu: version))
        let observation = try namespace.withAddresses(variant.addresses) {
            try VariantRunner.observe(
                primary: variant.primary, secondary: variant.secondary, first: first, model: report.topology,
                namespace: namespace, executable: executable, directory: directory)
        }
        let comparison = ClaimComparison.compare(report, with: observation)
        return VariantResult(variant: variant, disagreements: comparison.disagreements, masked: comparison.masked,
                             depends: comparison.depends, seconds: observation.seconds)
    }

    /// The host with more socket servers starts first (ties: the documented primary).
    static func startsFirst(_ topology: Topology) -> HostRole {
        func servers(_ role: HostRole) -> Int { topology[role].chardevs.filter { $0.socket?.server == true }.count }
        return servers(.secondary) > servers(.primary) ? .secondary : .primary
    }

    /// The words as `lockstep lint` reads a file: one option per line, shell-quoted.
    static func text(of words: [String]) -> String {
        var lines: [String] = []
        var index = 0
        while index < words.count {
            if words[index].hasPrefix("-"), index + 1 < words.count, !words[index + 1].hasPrefix("-") {
                lines.append(QEMUArgsExporter.shellQuoted(words[index]) + " " + QEMUArgsExporter.shellQuoted(words[index + 1]))
                index += 2
            } else {
                lines.append(QEMUArgsExporter.shellQuoted(words[index]))
                index += 1
            }
        }
        return lines.joined(separator: "\n")
    }

    private final class Pool: @unchecked Sendable {
        let lock = NSLock()
        var next = 0
        var results: [Int: VariantResult] = [:]
        var errors: [String] = []
    }

    private static func runPool(_ variants: [LintVariant], executable: String, workers: Int) throws -> [VariantResult] {
        let pool = Pool()
        let root = FileManager.default.temporaryDirectory.path + "/lockstep-lintdiff-\(getpid())"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let group = DispatchGroup()
        for worker in 0..<workers {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                let namespace: NetworkNamespace
                do {
                    namespace = try NetworkNamespace(label: "w\(worker)")
                } catch {
                    pool.lock.withLock { pool.errors.append("worker \(worker): \(error)") }
                    return
                }
                defer { namespace.remove() }
                while true {
                    let index: Int = pool.lock.withLock {
                        defer { pool.next += 1 }
                        return pool.next
                    }
                    guard index < variants.count else { return }
                    let directory = "\(root)/v\(index)"
                    do {
                        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                        let result = try check(variants[index], executable: executable, namespace: namespace, directory: directory)
                        pool.lock.withLock { pool.results[index] = result }
                    } catch {
                        pool.lock.withLock { pool.errors.append("\(variants[index].id): \(error)") }
                    }
                    try? FileManager.default.removeItem(atPath: directory)
                }
            }
        }
        group.wait()
        if !pool.errors.isEmpty {
            throw RunError(messages: pool.errors)
        }
        return variants.indices.compactMap { pool.results[$0] }
    }

    struct RunError: Error, CustomStringConvertible {
        let messages: [String]
        var description: String { "the differential could not run:\n" + messages.joined(separator: "\n") }
    }

    private static func summarise(variants: [LintVariant], results: [VariantResult], seconds: Double) -> Outcome {
        var lines: [String] = []
        // A variant whose outcome depends on the machine was not compared: it counts on
        // neither side.
        let compared = results.filter { $0.depends.isEmpty }
        let agreeing = compared.filter { $0.disagreements.isEmpty }
        let rate = compared.isEmpty ? 0 : Double(agreeing.count) * 100 / Double(compared.count)
        lines.append("lint differential against QEMU 7.2: \(agreeing.count) of \(compared.count) compared variants agree (\(String(format: "%.1f", rate)) %); \(results.count) run, \(variants.count - results.count) left out; \(Int(seconds)) s")
        var families: [String: (Int, Int)] = [:]
        for result in results {
            let count = families[result.variant.family] ?? (0, 0)
            families[result.variant.family] = (count.0 + (result.disagreements.isEmpty ? 1 : 0), count.1 + 1)
        }
        lines.append("by family: " + families.keys.sorted().map { "\($0) \(families[$0]!.0)/\(families[$0]!.1)" }.joined(separator: ", "))
        let masked = results.filter { !$0.masked.isEmpty }
        if !masked.isEmpty {
            lines.append("masked (a QEMU refused only because the other never started; its own claims cannot be checked): "
                + masked.map { "\($0.variant.id) (\($0.masked.map(\.rawValue).joined(separator: ", ")))" }.joined(separator: ", "))
        }
        let depending = results.filter { !$0.depends.isEmpty }
        if !depending.isEmpty {
            lines.append("depends on the machine (a host name the lint does not resolve), outcome not compared: "
                + depending.map(\.variant.id).joined(separator: ", "))
        }
        var unexpected: [String] = []
        var seenExpected: Set<String> = []
        let disagreeing = results.filter { !$0.disagreements.isEmpty }
        if !disagreeing.isEmpty { lines.append("differences:") }
        for result in disagreeing {
            let expected = LintDifferenceCatalog.expected[result.variant.id]
            if expected != nil { seenExpected.insert(result.variant.id) }
            let label = expected.map { "[\($0.differenceClass)] \($0.cause)" } ?? "[UNEXPECTED]"
            lines.append("  \(result.variant.id) \(label)")
            for disagreement in result.disagreements {
                lines.append("      \(disagreement)")
            }
            if expected == nil {
                unexpected.append("\(result.variant.id): " + result.disagreements.map(\.description).joined(separator: "; "))
            }
        }
        let excluded = variants.filter { $0.environment != nil }
        if !excluded.isEmpty {
            lines.append("left out (environment):")
            for variant in excluded { lines.append("  \(variant.id): \(variant.environment ?? "")") }
        }
        let ran = Set(results.map(\.variant.id))
        let stale = LintDifferenceCatalog.expected.keys.filter { ran.contains($0) && !seenExpected.contains($0) }.sorted()
        let slowest = results.sorted { $0.seconds > $1.seconds }.prefix(5)
        lines.append("slowest: " + slowest.map { "\($0.variant.id) \(String(format: "%.1f", $0.seconds)) s" }.joined(separator: ", "))
        return Outcome(report: lines.joined(separator: "\n"), checked: results.count, unexpected: unexpected, staleExpectations: stale)
    }
}

/// Differences between the lint and QEMU 7.2 that remain, each with its cause (the same list
/// is in docs/qemu-args.md): expected by the test, never ignored silently.
enum LintDifferenceCatalog {
    struct Expected: Sendable {
        let differenceClass: String
        let cause: String
    }

    static let expected: [String: Expected] = [:]
}
