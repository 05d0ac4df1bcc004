import Foundation
import Fabric

/// A failing run, minimal and replayable: `lockstep replay FILE`.
public struct ReplayFile: Sendable, Hashable, Codable {
    public static let formatVersion = 1

    public var format: Int = ReplayFile.formatVersion
    public var tool: String
    public var scenario: String
    /// FNV-1a 64 of the scenario file's bytes, hex: a replay against an edited file is refused.
    public var scenarioHash: String
    public var seed: UInt64
    public var decisions: [UInt64]
    public var violations: [String]
    public var traceHash: String
    /// The engine mutant the run was fuzzed with (`--mutant`), if any.
    public var mutant: String?
    /// Whether the scenario's expectations were checked (`--expectations`).
    public var checksExpectations: Bool?
    /// The workload the shrinker reduced the scenario to, applied on replay (nil: the file's).
    public var reduction: WorkloadReduction?

    public init(tool: String, scenario: String, scenarioHash: String, trial: FuzzTrial,
                mutant: EngineMutant? = nil, checksExpectations: Bool = false) {
        self.mutant = mutant?.rawValue
        self.checksExpectations = checksExpectations
        self.tool = tool
        self.scenario = scenario
        self.scenarioHash = scenarioHash
        seed = trial.seed
        decisions = trial.decisions
        violations = trial.violations
        reduction = trial.reduction
        traceHash = Self.hex(trial.traceHash)
    }

    public static func hex(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }

    /// FNV-1a 64 of a file's bytes, as 16 hex digits.
    public static func hash(of text: String) -> String {
        var hash = FNV1a64()
        for byte in text.utf8 { hash.combine(byte: byte) }
        return hex(hash.value)
    }

    public func encoded() throws -> Data {
        try PrettyJSON.encode(self)
    }

    public static func decode(_ data: Data) throws -> ReplayFile {
        try JSONDecoder().decode(ReplayFile.self, from: data)
    }

    /// Reads a replay file; any problem (unreadable, not JSON, a missing field, a format this
    /// version does not know) is one line naming the file.
    public static func load(path: String) throws(JSONFileProblem) -> ReplayFile {
        let file = try JSONFileProblem.decode(ReplayFile.self, from: path, kind: "a replay file")
        guard file.format == formatVersion else {
            throw JSONFileProblem(path: path, reason: "replay format \(file.format) is not one this lockstep reads (format \(formatVersion)); "
                                  + "re-record it with this version's lockstep fuzz")
        }
        return file
    }
}
