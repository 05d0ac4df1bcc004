import ArgumentParser
import Fabric

/// `lockstep run`: runs a topology with its default (or adjusted) workload and reports bytes
/// transferred, retransmissions and completion time.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a client workload against a guest over a simulated topology."
    )

    enum Topology: String, ExpressibleByArgument, CaseIterable {
        case direct
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    @Option(help: "Topology to run (direct: one client, one guest, one impaired link).")
    var topology: Topology = .direct

    @Option(help: "Seed of every random choice (ISNs, link impairments, knobs).")
    var seed: UInt64 = 1

    @Option(help: "Output format: text or json (one JSON object).")
    var format: Format = .text

    @Option(help: "Client connections.") var connections: Int?
    @Option(help: "Requests per connection.") var requests: Int?
    @Option(help: "Request body bytes.") var requestSize: Int?
    @Option(help: "Response body bytes.") var responseSize: Int?
    @Option(help: "Think time between requests, in milliseconds.") var thinkMs: Int64?
    @Option(help: "One-way link latency, in microseconds.") var latencyUs: Int64?
    @Option(help: "Extra per-frame delay drawn in 0...jitter, in microseconds.") var jitterUs: Int64?
    @Option(help: "Frames lost, per million.") var lossPpm: UInt64 = 0
    @Option(help: "Frames duplicated, per million.") var duplicatePpm: UInt64 = 0
    @Option(help: "Frames held back and overtaken, per million.") var reorderPpm: UInt64 = 0
    @Option(help: "Stop after this much virtual time, in seconds.") var timeLimitS: Int64 = 600

    func validate() throws {
        for (name, value) in [("connections", connections), ("requests", requests)] where (value ?? 1) < 1 {
            throw ValidationError("--\(name) must be at least 1")
        }
        for (name, value) in [("request-size", requestSize), ("response-size", responseSize)] where (value ?? 0) < 0 {
            throw ValidationError("--\(name) must not be negative")
        }
        for (name, value) in [("think-ms", thinkMs), ("latency-us", latencyUs), ("jitter-us", jitterUs)] where (value ?? 0) < 0 {
            throw ValidationError("--\(name) must not be negative")
        }
        for (name, value) in [("loss-ppm", lossPpm), ("duplicate-ppm", duplicatePpm), ("reorder-ppm", reorderPpm)]
        where value > 1_000_000 {
            throw ValidationError("--\(name) must be at most 1000000")
        }
        if timeLimitS < 1 { throw ValidationError("--time-limit-s must be at least 1") }
    }

    func run() throws {
        var options = DirectRunOptions()
        options.seed = seed
        if let connections { options.workload.connections = connections }
        if let requests { options.workload.requestsPerConnection = requests }
        if let requestSize { options.workload.requestSize = requestSize }
        if let responseSize { options.workload.responseSize = responseSize }
        if let thinkMs { options.workload.thinkTime = .milliseconds(thinkMs) }
        if let latencyUs { options.link.latency = .microseconds(latencyUs) }
        if let jitterUs { options.link.jitter = .microseconds(jitterUs) }
        options.link.loss = .perMillion(lossPpm)
        options.link.duplication = .perMillion(duplicatePpm)
        options.link.reordering = .perMillion(reorderPpm)
        options.timeLimit = .seconds(timeLimitS)
        let report = try DirectRun.execute(options)
        print(format == .json ? report.json : report.text)
        if !report.completed { throw ExitCode(2) }
    }
}
