import Foundation
import Testing
import LockstepTestSupport

/// The Kubernetes Indexed Jobs of `deploy/k8s`, run on this machine: each pod's script, taken
/// from the manifest as it is, runs once per completion index with the environment the Job
/// gives it (smaller campaigns), then the merge Job's script; the merge must equal the same
/// script run as one shard.
@Suite("Kubernetes manifests: shard and merge command lines")
struct K8sManifestTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let binary: URL

    init() throws {
        binary = try #require(LockstepBinary.locate(), "\(LockstepBinary.notFoundMessage)")
    }

    /// The shell script of the manifest's container: the block under `args: - |`.
    static func podScript(_ manifest: String) throws -> String {
        let text = try String(contentsOf: root.appendingPathComponent("deploy/k8s/\(manifest)"), encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex { $0.trimmingCharacters(in: .whitespaces) == "- |" }, "no script in \(manifest)")
        let body = lines[(start + 1)...].prefix { $0.isEmpty || $0.hasPrefix(String(repeating: " ", count: 14)) }
        return body.map { String($0.dropFirst(min(14, $0.count))) }.joined(separator: "\n")
    }

    /// Runs a pod's script in the repository, as the image's working directory holds the library.
    func runPod(_ script: String, _ environment: [String: String]) throws -> (status: Int32, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = Self.root
        var merged = ProcessInfo.processInfo.environment
        merged["PATH"] = binary.deletingLastPathComponent().path + ":" + (merged["PATH"] ?? "/usr/bin:/bin")
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        let error = Pipe()
        process.standardError = error
        try process.run()
        let errorText = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, errorText)
    }

    static func scratch(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lockstep-k8s-\(name)-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Every pod of an Indexed Job of `shards` completions, then the merge Job; returns the
    /// merged report and the report of the same script as one shard.
    func shardAndMerge(job: String, kind: String, shards: Int, _ environment: [String: String]) throws -> (merged: String, whole: String) {
        let results = try Self.scratch(kind)
        defer { try? FileManager.default.removeItem(at: results) }
        let pod = try Self.podScript(job)
        for index in 0..<shards {
            let run = try runPod(pod, environment.merging(
                ["JOB_COMPLETION_INDEX": String(index), "SHARDS": String(shards), "RESULTS": results.appendingPathComponent(kind).path]) { $1 })
            #expect(run.status == 0, "pod \(index): \(run.error)")
        }
        let merge = try runPod(try Self.podScript("merge-job.yaml"), ["RESULTS": results.path])
        #expect(merge.status == 0, "merge: \(merge.error)")
        let whole = try runPod(pod, environment.merging(
            ["JOB_COMPLETION_INDEX": "0", "SHARDS": "1", "RESULTS": results.appendingPathComponent("whole").path]) { $1 })
        #expect(whole.status == 0, "one shard: \(whole.error)")
        return (try String(contentsOf: results.appendingPathComponent("\(kind)/merged.json"), encoding: .utf8),
                try String(contentsOf: results.appendingPathComponent("whole/shard-1.json"), encoding: .utf8))
    }

    @Test("fuzz-job.yaml: three pods' shards merge (fuzz-merge) into exactly the one-shard campaign, failures and shrunk run included")
    func fuzzShardsMerge() throws {
        let (merged, whole) = try shardAndMerge(job: "fuzz-job.yaml", kind: "fuzz", shards: 3, [
            "SCENARIO": "scenarios/clean-run.yaml", "RUNS": "5", "SEED": "1",
            "FUZZ_ARGS": "--expectations --mutant rewriter-offset-sign-flipped --shrink-budget 10 --no-shrink-workload",
        ])
        #expect(merged == whole)
        #expect(merged.contains("\"failures\""))
        #expect(merged.contains("\"shrunk\""))
    }

    @Test("sweep-job.yaml: three pods' shards merge (sweep-merge) into exactly the one-shard sweep")
    func sweepShardsMerge() throws {
        let (merged, whole) = try shardAndMerge(job: "sweep-job.yaml", kind: "sweep", shards: 3, [
            "SCENARIO": "scenarios/divergent-response.yaml", "SWEEP_ARGS": "--lose primary --max-points 5",
        ])
        #expect(merged == whole)
        #expect(merged.contains("\"points\""))
        #expect(!merged.contains("\"shard\""))
    }
}
