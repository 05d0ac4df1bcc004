import Glibc
import Daemon

extension ServeBenchmark.Program {
    public static func qemu(_ executable: String) -> Self {
        Self(label: "qemu", executable: executable)
    }

    /// `lockstep serve` logging warnings only, so that logging costs it nothing measurable.
    public static func lockstep(_ executable: String, label: String = "lockstep") -> Self {
        Self(label: label, executable: executable, leadingArguments: ["serve", "--log-level", "warning"])
    }
}

/// `lockstep bench-serve`: every program on every workload, `runs` times each, as a table, and
/// per workload how each lockstep compares with QEMU when both ran.
///
/// Fairness: the programs take turns run by run (the first program of each run rotates), so a
/// change of machine load falls on all of them alike; each run warms up before it is measured;
/// the figure compared is pairs per CPU second of the compare process (all its threads), whose
/// median over the runs is steadier on a shared machine than wall time or a best-of.
public enum ServeBenchmarkComparison {
    /// Reports line by line through `report`, as results come: a comparison takes minutes.
    public static func run(
        programs: [ServeBenchmark.Program], workloads: [(workload: ServeBenchmarkWorkload, pairs: Int)], runs: Int,
        report: (String) -> Void
    ) throws(DriverError) {
        report("serve benchmark: one driver, unix sockets, the same QEMU arguments and frames for every program; "
               + "\(runs) runs each, programs taking turns, the first \(warmupShare) of each run not counted")
        report("load average at start: \(loadAverage())")
        report(row(["workload", "program", "pairs", "pairs/s", "CPU s", "pairs/CPU s", "best", "peak RSS"]))
        for (workload, pairs) in workloads {
            var results: [String: [ServeBenchmark.Measurement]] = [:]
            for run in 0..<runs {
                for turn in programs.indices {
                    let program = programs[(turn + run) % programs.count]
                    results[program.label, default: []].append(try ServeBenchmark.run(program, workload: workload, pairs: pairs))
                }
            }
            var medians: [String: (median: Double, best: Double)] = [:]
            for program in programs {
                let measured = results[program.label] ?? []
                guard let summary = Summary(measured) else { continue }
                if let perCPU = summary.pairsPerCPUSecond { medians[program.label] = perCPU }
                report(row([workload.name, program.label, "\(summary.pairs)", rate(summary.pairsPerSecond),
                            summary.cpuSeconds.map { fixed($0, 3) } ?? "-",
                            summary.pairsPerCPUSecond.map { rate($0.median) } ?? "-",
                            summary.pairsPerCPUSecond.map { rate($0.best) } ?? "-",
                            summary.peakResidentBytes.map(megabytes) ?? "-"]))
            }
            if let qemu = medians["qemu"] {
                for program in programs where program.label != "qemu" {
                    guard let other = medians[program.label] else { continue }
                    report("\(workload.name): \(program.label)/qemu = \(fixed(other.median / qemu.median, 2))x pairs per CPU second "
                           + "(median of each; best of each: \(fixed(other.best / qemu.best, 2))x)")
                }
            }
        }
        report("load average at end: \(loadAverage())")
    }

    static let warmupShare = "10%"

    /// Medians over a program's runs (the peak RSS is the largest).
    private struct Summary {
        var pairs: Int
        var pairsPerSecond: Double
        var cpuSeconds: Double?
        var pairsPerCPUSecond: (median: Double, best: Double)?
        var peakResidentBytes: Int?

        init?(_ runs: [ServeBenchmark.Measurement]) {
            guard let first = runs.first else { return nil }
            pairs = first.pairs
            pairsPerSecond = Self.median(runs.map(\.pairsPerSecond))
            let cpu = runs.compactMap(\.cpuSeconds)
            cpuSeconds = cpu.count == runs.count ? Self.median(cpu) : nil
            let perCPU = runs.compactMap(\.pairsPerCPUSecond)
            pairsPerCPUSecond = perCPU.count == runs.count ? (Self.median(perCPU), perCPU.max() ?? 0) : nil
            peakResidentBytes = runs.compactMap(\.peakResidentBytes).max()
        }

        static func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            let middle = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        }
    }

    private static func loadAverage() -> String {
        var loads = [Double](repeating: 0, count: 3)
        guard getloadavg(&loads, 3) == 3 else { return "unknown" }
        return loads.map { fixed($0, 2) }.joined(separator: " ") + " (1, 5, 15 min) on \(sysconf(Int32(_SC_NPROCESSORS_ONLN))) CPUs"
    }

    private static func row(_ cells: [String]) -> String {
        let widths = [18, 10, 9, 10, 8, 12, 10, 9]
        return zip(cells, widths).map { $0 + String(repeating: " ", count: max(0, $1 - $0.count)) }.joined(separator: " ")
    }

    private static func fixed(_ value: Double, _ digits: Int) -> String {
        BenchmarkRunner.fixed(value, decimals: digits)
    }

    private static func rate(_ value: Double) -> String {
        value >= 1e6 ? fixed(value / 1e6, 2) + "M" : fixed(value / 1e3, 1) + "k"
    }

    private static func megabytes(_ bytes: Int) -> String {
        fixed(Double(bytes) / 1_048_576, 1) + " MiB"
    }
}
