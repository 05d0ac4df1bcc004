import ArgumentParser
import Foundation
import Fuzzing

/// `lockstep sweep-merge A.json B.json ...`: one sweep report from the JSON reports of shards.
struct SweepMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep-merge",
        abstract: "Merge the JSON reports of sweep-failover shards into the report one machine would have produced.",
        discussion: "Every shard K/N of one sweep must be given once. Exit status 1 when a point broke a check, 2 when the reports cannot be read or merged."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    @Argument(help: "Reports of `lockstep sweep-failover --format json --shard K/N`.") var files: [String]
    @Option(help: "Output format: json (as sweep-failover --format json) or text (its table).") var format: Format = .json

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give the JSON reports of the shards to merge") }
    }

    func run() throws {
        let merged: FailoverSweepReport
        do {
            let reports = try files.map { path in
                do {
                    return try JSONDecoder().decode(FailoverSweepReport.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
                } catch {
                    throw ValidationError("\(path) is not a sweep-failover JSON report: \(error.localizedDescription)")
                }
            }
            merged = try FailoverSweepMerge.merge(reports)
        } catch {
            // Exit status 1 means "a point broke"; a merge that cannot be made must not look like that.
            FileHandle.standardError.write(Data("lockstep sweep-merge: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if format == .json {
            print(String(decoding: try merged.encoded(), as: UTF8.self))
        } else {
            print(FailoverSweep.table(merged))
        }
        if !merged.broken.isEmpty { throw ExitCode(1) }
    }
}
