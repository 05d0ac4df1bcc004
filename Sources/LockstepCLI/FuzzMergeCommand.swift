import ArgumentParser
import Foundation
import Scenarios
import Fuzzing

/// `lockstep fuzz-merge A.json B.json ...`: one report from the JSON results of shards.
struct FuzzMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz-merge",
        abstract: "Merge the JSON results of fuzz shards into the report one machine would have produced."
    )

    @Argument(help: "Results of `lockstep fuzz --format json --shard K/N`.") var files: [String]

    func run() throws {
        let results = try files.map { try FuzzResult.decode(Data(contentsOf: URL(fileURLWithPath: $0))) }
        let merged = try FuzzMerge.merge(results)
        print(String(decoding: try merged.encoded(), as: UTF8.self))
        if merged.failed { throw ExitCode(1) }
    }
}
