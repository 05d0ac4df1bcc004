import ArgumentParser
import Foundation
import Scenarios
import Fuzzing

/// `lockstep fuzz-merge A.json B.json ...`: one report from the JSON results of shards.
struct FuzzMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz-merge",
        abstract: "Merge the JSON results of fuzz shards into the report one machine would have produced.",
        discussion: "Exit status 1 when the merged campaign failed, 2 when a result cannot be read or the results are not shards of one campaign."
    )

    @Argument(help: "Results of `lockstep fuzz --format json --shard K/N`.") var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give the JSON results of the shards to merge") }
    }

    func run() throws {
        let results: [FuzzResult]
        let merged: FuzzResult
        do {
            results = try files.map { path throws(JSONFileProblem) in try FuzzResult.load(path: path) }
            merged = try FuzzMerge.merge(results)
        } catch {
            printError("lockstep fuzz-merge: \(error)")
            throw ExitCode(2)
        }
        print(String(decoding: try merged.encoded(), as: UTF8.self))
        if merged.failed { throw ExitCode(1) }
    }
}
