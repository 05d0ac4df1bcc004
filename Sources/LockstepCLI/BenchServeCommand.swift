import ArgumentParser
import Glibc
import Benchmarks

/// `lockstep bench-serve` (hidden): matched pairs per second through QEMU's standalone
/// colo-compare and through `lockstep serve`, side by side in one run, with the same driver,
/// arguments and frames. Use a release build (scripts/bench-serve).
struct BenchServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-serve",
        abstract: "Compare QEMU's colo-compare and lockstep serve: matched pairs per second over unix sockets.",
        shouldDisplay: false
    )

    @Option(parsing: .unconditional, help: "UDP pairs per run (1-100000000).")
    var udpPairs = 1_000_000

    @Option(parsing: .unconditional, help: "TCP segment pairs per run (1-100000000).")
    var tcpPairs = 300_000

    @Option(parsing: .unconditional, help: "Runs per program and workload (1-100); the best is reported.")
    var runs = 3

    @Option(help: "The QEMU binary (default: qemu-system-x86_64 on PATH).")
    var qemu: String?

    @Flag(help: "Measure lockstep serve only.")
    var skipQemu = false

    func validate() throws {
        try OptionRange.check(udpPairs, "--udp-pairs", 1...100_000_000)
        try OptionRange.check(tcpPairs, "--tcp-pairs", 1...100_000_000)
        try OptionRange.check(runs, "--runs", 1...100)
    }

    func run() throws {
        var programs: [ServeBenchmark.Program] = []
        if !skipQemu {
            guard let qemu = qemu ?? Self.onPath("qemu-system-x86_64") else {
                throw ValidationError("qemu-system-x86_64 not found; give --qemu PATH or --skip-qemu")
            }
            programs.append(.qemu(qemu))
        }
        programs.append(.lockstep(Self.ownExecutable()))
        try ServeBenchmarkComparison.run(
            programs: programs, workloads: [(.udp(), udpPairs), (.tcp(), tcpPairs)], runs: runs, report: { print($0) })
    }

    static func onPath(_ name: String) -> String? {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { access($0, X_OK) == 0 }
    }

    static func ownExecutable() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return count > 0 ? String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
    }
}
