import Foundation
import Fabric
import Scenarios
import Fuzzing
import FuzzSupport

/// What the orderings target fuzzes, read once from its command line:
///
/// - the scenario: `--scenario=NAME|PATH`, else the suffix of an executable named
///   `FuzzOrderings_NAME` (how OSS-Fuzz runs one scenario per target: it passes no options),
///   else `default` (the built-in copy of the default fuzz scenario). A NAME is looked up as
///   `NAME.yaml` in `$LOCKSTEP_SCENARIO_DIR`, in `scenarios/` beside the executable, then in the
///   `scenarios/` directory of the nearest enclosing folder (the repository, for a build in
///   `.build-fuzz`);
/// - `--mutant=NAME`: a deliberate engine bug, as `lockstep fuzz --mutant`;
/// - `--expectations`: every expectation is checked, not only those under `always:`.
struct OrderingsSetup: Sendable {
    static let programPrefix = "FuzzOrderings_"

    var scenarioArgument: String
    /// The path a replay file names (`default` for the built-in scenario).
    var scenarioPath: String
    var scenarioHash: String
    var mutant: EngineMutant?
    var checksExpectations: Bool
    var target: FuzzTarget

    static func load() -> OrderingsSetup {
        let argument = FuzzProcess.option("scenario") ?? nameFromProgram() ?? DefaultFuzzScenario.name
        let path = resolve(argument)
        let mutant = FuzzProcess.option("mutant").map { name in
            guard let known = EngineMutant(rawValue: name) else {
                FuzzProcess.refuse("FuzzOrderings: unknown --mutant '\(name)'; known: \(EngineMutant.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return known
        }
        let expectations = FuzzProcess.flag("expectations")
        let text: String
        let scenario: Scenario
        do {
            text = try DefaultFuzzScenario.text(of: path)
            scenario = try DefaultFuzzScenario.parse(text, of: path)
        } catch {
            FuzzProcess.refuse("FuzzOrderings: cannot load scenario \(path): \(error)")
        }
        return OrderingsSetup(
            scenarioArgument: argument, scenarioPath: path, scenarioHash: ReplayFile.hash(of: text), mutant: mutant,
            checksExpectations: expectations,
            target: FuzzTarget(scenario: scenario, checksExpectations: expectations, mutant: mutant))
    }

    var summary: String {
        let checks = checksExpectations ? "invariants and every expectation" : "invariants and always: expectations"
        return "FuzzOrderings: scenario \(scenarioPath), mutant \(mutant?.rawValue ?? "none"), checks \(checks)"
    }

    private static func nameFromProgram() -> String? {
        let program = FuzzProcess.programName
        guard program.hasPrefix(programPrefix), program.count > programPrefix.count else { return nil }
        return String(program.dropFirst(programPrefix.count))
    }

    /// A path as given; a bare name through the scenario directories.
    private static func resolve(_ argument: String) -> String {
        if argument == DefaultFuzzScenario.name || argument.contains("/") || argument.hasSuffix(".yaml") {
            return argument
        }
        let file = argument + ".yaml"
        for directory in scenarioDirectories() {
            let candidate = directory + "/" + file
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        FuzzProcess.refuse("FuzzOrderings: no scenario '\(argument)': \(file) is in none of \(scenarioDirectories().joined(separator: ", ")) (set LOCKSTEP_SCENARIO_DIR)")
    }

    private static func scenarioDirectories() -> [String] {
        var directories: [String] = []
        if let configured = ProcessInfo.processInfo.environment["LOCKSTEP_SCENARIO_DIR"] { directories.append(configured) }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        while folder.path != "/" {
            directories.append(folder.appendingPathComponent("scenarios").path)
            folder = folder.deletingLastPathComponent()
        }
        return directories
    }
}
