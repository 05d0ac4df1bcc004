import ArgumentParser
import Glibc
import Daemon
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

    @Option(help: "UDP pairs per run.")
    var udpPairs = 1_000_000

    @Option(help: "TCP segment pairs per run.")
    var tcpPairs = 300_000

    @Option(help: "Runs per program and workload; the best is reported.")
    var runs = 3

    @Option(help: "The QEMU binary (default: qemu-system-x86_64 on PATH).")
    var qemu: String?

    @Flag(help: "Measure lockstep serve only.")
    var skipQemu = false

    func validate() throws {
        guard udpPairs > 0, tcpPairs > 0, runs > 0 else { throw ValidationError("counts must be positive") }
    }

    func run() throws {
        var programs: [ServeBenchmark.Program] = []
        if !skipQemu {
            guard let qemu = qemu ?? Self.onPath("qemu-system-x86_64") else {
                throw ValidationError("qemu-system-x86_64 not found; give --qemu PATH or --skip-qemu")
            }
            programs.append(.init(label: "qemu", executable: qemu))
        }
        programs.append(.init(label: "lockstep", executable: Self.ownExecutable(), leadingArguments: ["serve", "--log-level", "warning"]))
        let workloads = [(ServeBenchmarkWorkload.udp(), udpPairs), (ServeBenchmarkWorkload.tcp(), tcpPairs)]
        print("serve benchmark: one driver, unix sockets, the same QEMU arguments and frames for every program; best of \(runs)")
        print(Self.row(["workload", "program", "pairs", "seconds", "pairs/s", "process CPU s", "pairs/CPU s"]))
        for (workload, pairs) in workloads {
            var best: [String: ServeBenchmark.Measurement] = [:]
            for program in programs {
                for _ in 0..<runs {
                    let measurement = try ServeBenchmark.run(program, workload: workload, pairs: pairs)
                    if best[program.label].map({ measurement.pairsPerSecond > $0.pairsPerSecond }) ?? true {
                        best[program.label] = measurement
                    }
                }
                if let m = best[program.label] {
                    print(Self.row([workload.name, m.program, "\(m.pairs)", Self.fixed(m.seconds, 3), Self.rate(m.pairsPerSecond),
                                    m.cpuSeconds.map { Self.fixed($0, 3) } ?? "-",
                                    m.cpuSeconds.map { Self.rate(Double(m.pairs) / max($0, 1e-9)) } ?? "-"]))
                }
            }
            if let q = best["qemu"], let l = best["lockstep"] {
                var line = "\(workload.name): lockstep/qemu = \(Self.fixed(l.pairsPerSecond / q.pairsPerSecond, 2))x pairs/s"
                if let qc = q.cpuSeconds, let lc = l.cpuSeconds, qc > 0, lc > 0 {
                    line += ", \(Self.fixed((Double(l.pairs) / lc) / (Double(q.pairs) / qc), 2))x pairs per CPU second"
                }
                print(line)
            }
        }
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

    static func row(_ cells: [String]) -> String {
        let widths = [18, 10, 10, 9, 10, 14, 12]
        return zip(cells, widths).map { $0 + String(repeating: " ", count: max(0, $1 - $0.count)) }.joined(separator: " ")
    }

    static func fixed(_ value: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int64((value * scale).rounded())
        let whole = scaled / Int64(scale)
        let fraction = String(scaled % Int64(scale))
        return digits == 0 ? "\(whole)" : "\(whole).\(String(repeating: "0", count: digits - fraction.count))\(fraction)"
    }

    static func rate(_ value: Double) -> String {
        value >= 1e6 ? fixed(value / 1e6, 2) + "M" : fixed(value / 1e3, 1) + "k"
    }
}
