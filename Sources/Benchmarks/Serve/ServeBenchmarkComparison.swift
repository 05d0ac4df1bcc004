import Daemon

extension ServeBenchmark.Program {
    public static func qemu(_ executable: String) -> Self {
        Self(label: "qemu", executable: executable)
    }

    /// `lockstep serve` logging warnings only, so that logging costs it nothing measurable.
    public static func lockstep(_ executable: String) -> Self {
        Self(label: "lockstep", executable: executable, leadingArguments: ["serve", "--log-level", "warning"])
    }
}

/// `lockstep bench-serve`: every program on every workload, the best of `runs` each, as a
/// table, and per workload how lockstep compares with QEMU when both ran.
public enum ServeBenchmarkComparison {
    /// Reports line by line through `report`, as results come: a comparison takes minutes.
    public static func run(
        programs: [ServeBenchmark.Program], workloads: [(workload: ServeBenchmarkWorkload, pairs: Int)], runs: Int,
        report: (String) -> Void
    ) throws(DriverError) {
        report("serve benchmark: one driver, unix sockets, the same QEMU arguments and frames for every program; best of \(runs)")
        report(row(["workload", "program", "pairs", "seconds", "pairs/s", "process CPU s", "pairs/CPU s"]))
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
                    report(row([workload.name, m.program, "\(m.pairs)", fixed(m.seconds, 3), rate(m.pairsPerSecond),
                                m.cpuSeconds.map { fixed($0, 3) } ?? "-",
                                m.cpuSeconds.map { rate(Double(m.pairs) / max($0, 1e-9)) } ?? "-"]))
                }
            }
            if let q = best["qemu"], let l = best["lockstep"] {
                var line = "\(workload.name): lockstep/qemu = \(fixed(l.pairsPerSecond / q.pairsPerSecond, 2))x pairs/s"
                if let qc = q.cpuSeconds, let lc = l.cpuSeconds, qc > 0, lc > 0 {
                    line += ", \(fixed((Double(l.pairs) / lc) / (Double(q.pairs) / qc), 2))x pairs per CPU second"
                }
                report(line)
            }
        }
    }

    private static func row(_ cells: [String]) -> String {
        let widths = [18, 10, 10, 9, 10, 14, 12]
        return zip(cells, widths).map { $0 + String(repeating: " ", count: max(0, $1 - $0.count)) }.joined(separator: " ")
    }

    private static func fixed(_ value: Double, _ digits: Int) -> String {
        BenchmarkRunner.fixed(value, decimals: digits)
    }

    private static func rate(_ value: Double) -> String {
        value >= 1e6 ? fixed(value / 1e6, 2) + "M" : fixed(value / 1e3, 1) + "k"
    }
}
