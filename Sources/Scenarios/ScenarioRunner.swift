import Foundation
import Glibc
import Fabric
import COLORuntime

/// What running one scenario file gave.
public struct ScenarioOutcome: Sendable {
    public var file: String
    public var name: String
    /// Set when the file could not be read or the run could not be built.
    public var errors: [String] = []
    public var report: RunReport?
    public var results: [ExpectationResult] = []

    public init(file: String, name: String) {
        self.file = file
        self.name = name
    }

    public var passed: Bool { errors.isEmpty && report != nil && results.allSatisfy(\.passed) }
    public var failedCount: Int { results.filter { !$0.passed }.count }

    /// Every expectation's PASS/FAIL line, or the errors.
    public var lines: [String] {
        errors.isEmpty ? results.map(\.line) : errors
    }
}

/// Reads, runs and checks scenario files; `lockstep run FILE`, `lockstep test DIR` and the
/// library test share it.
public enum ScenarioRunner {
    /// Runs a parsed scenario and evaluates its expectations.
    public static func run(_ scenario: Scenario, outputs: RunOutputs = RunOutputs()) -> ScenarioOutcome {
        var outcome = ScenarioOutcome(file: scenario.file, name: scenario.name)
        var outputs = outputs
        if scenario.expectations.contains(where: \.needsFullLog) { outputs.keepsFullLog = true }
        do {
            let report: RunReport
            if scenario.checksDeterminism {
                report = try COLORun.checkingDeterminism(scenario.configuration, outputs: outputs)
            } else {
                var run = COLORun(scenario.configuration)
                run.outputs = outputs
                report = try run.run()
            }
            outcome.report = report
            outcome.results = scenario.expectations.map { $0.evaluate(report) }
        } catch {
            outcome.errors = ["\(scenario.file): the run could not start: \(error)"]
        }
        return outcome
    }

    /// Reads and runs the file at `path`; a malformed file gives an outcome with its errors.
    public static func run(path: String) -> ScenarioOutcome {
        do {
            return run(try ScenarioParser.load(path: path))
        } catch {
            var outcome = ScenarioOutcome(file: path, name: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)
            outcome.errors = error.errors.map(\.description)
            return outcome
        }
    }

    /// The scenario files of a directory (`*.yaml`, `*.yml`), sorted by name; with
    /// `nameContaining`, only those whose file name contains it.
    public static func files(in directory: String, nameContaining filter: String? = nil) throws(InputFile.ReadError) -> [String] {
        let names = try directoryEntries(directory)
        return names.filter { name in
            (name.hasSuffix(".yaml") || name.hasSuffix(".yml")) && (filter.map { name.contains($0) } ?? true)
        }.sorted()
            .map { URL(fileURLWithPath: directory).appendingPathComponent($0).path }
    }

    /// The names in a directory; an error names it and says why it cannot be listed.
    private static func directoryEntries(_ directory: String) throws(InputFile.ReadError) -> [String] {
        guard !directory.isEmpty else { throw .cannotOpen(path: directory, reason: "the path is empty") }
        guard let stream = opendir(directory) else {
            throw .cannotOpen(path: directory, reason: String(cString: strerror(errno)))
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
