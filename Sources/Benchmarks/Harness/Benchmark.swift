/// One benchmark: a closure that performs `iterations` units of work (frames, events …) and
/// returns a value derived from the work, which the harness keeps so the optimiser cannot drop
/// the work.
///
/// Modules add cases by exposing a list (``FabricBenchmarks/all``, ``CompareBenchmarks/all`` and
/// so on) that ``BenchmarkCatalogue/all`` concatenates.
public struct BenchmarkCase: Sendable {
    public var name: String
    /// What one iteration is, plural: "frames", "events".
    public var unit: String
    public var defaultIterations: Int
    /// Rate this case should reach in a release build, in units per second.
    public var goalPerSecond: Double?
    /// Name of a case measured in the same run whose rate this one is compared with.
    public var baseline: String?
    /// The body returns how many `unit`s it did (its iterations are then coarser steps, e.g.
    /// whole runs, each doing a number of units known only afterwards); rates use that count.
    public var bodyCountsUnits: Bool
    /// Heap allocations per unit the timed run may make (0: the path must not allocate); the
    /// table says whether the run kept to it. A run also sets up its own state (a fresh engine,
    /// its tables and queues), so up to one allocation per hundred units above the budget is
    /// taken as that set-up, not as per-unit work. Nil: counted and shown, not judged.
    public var allocationBudget: Double?
    public var body: @Sendable (Int) -> UInt64

    public init(
        name: String,
        unit: String,
        defaultIterations: Int,
        goalPerSecond: Double? = nil,
        baseline: String? = nil,
        bodyCountsUnits: Bool = false,
        allocationBudget: Double? = nil,
        body: @escaping @Sendable (Int) -> UInt64
    ) {
        self.name = name
        self.unit = unit
        self.defaultIterations = defaultIterations
        self.goalPerSecond = goalPerSecond
        self.baseline = baseline
        self.bodyCountsUnits = bodyCountsUnits
        self.allocationBudget = allocationBudget
        self.body = body
    }
}

public struct BenchmarkResult: Sendable {
    public var name: String
    public var unit: String
    public var iterations: Int
    /// Wall-clock time of the timed run.
    public var seconds: Double
    /// CPU time the benchmark thread itself used: on a shared machine this is what the code
    /// costs, while the wall-clock figure also counts time spent waiting for a core.
    public var cpuSeconds: Double = 0
    public var goalPerSecond: Double?
    public var baseline: String?
    public var checksum: UInt64
    /// Heap allocations the benchmark thread made during the timed run (nil where the counter
    /// is not installed).
    public var allocations: UInt64? = nil
    public var allocationBudget: Double? = nil

    public var allocationsPerUnit: Double? {
        allocations.map { iterations > 0 ? Double($0) / Double(iterations) : 0 }
    }

    /// Whether the timed run kept to the case's allocation budget.
    public var meetsAllocationBudget: Bool? {
        guard let budget = allocationBudget, let perUnit = allocationsPerUnit else { return nil }
        return perUnit <= budget + BenchmarkResult.setUpAllowance
    }

    /// Allocations per unit attributed to a run's set-up rather than to its units.
    public static let setUpAllowance = 0.01

    public var perSecond: Double { seconds > 0 ? Double(iterations) / seconds : .infinity }

    public var perCPUSecond: Double { cpuSeconds > 0 ? Double(iterations) / cpuSeconds : .infinity }

    /// Judged on CPU time, so a busy machine does not fail a goal the code meets.
    public var meetsGoal: Bool? { goalPerSecond.map { perCPUSecond >= $0 } }
}

/// Runs cases and formats their results. The only place in the package that reads a real clock.
public enum BenchmarkRunner {
    /// Cases whose name contains `filter` (all if nil), plus the baselines they refer to, in the
    /// order of `cases`.
    public static func select(_ cases: [BenchmarkCase], matching filter: String?) -> [BenchmarkCase] {
        guard let filter else { return cases }
        let chosen = cases.filter { $0.name.contains(filter) }
        let baselineNames = chosen.compactMap(\.baseline)
        return cases.filter { candidate in
            candidate.name.contains(filter) || baselineNames.contains(candidate.name)
        }
    }

    /// Times one case after a warm-up of a tenth of its iterations.
    public static func run(_ benchmark: BenchmarkCase, iterations: Int? = nil) -> BenchmarkResult {
        let count = max(1, iterations ?? benchmark.defaultIterations)
        var checksum = benchmark.body(max(1, count / 10))
        let clock = ContinuousClock()
        let start = clock.now
        let cpuStart = threadCPUSeconds()
        let allocationsStart = AllocationCount.onThisThread()
        let timed = benchmark.body(count)
        let allocationsEnd = AllocationCount.onThisThread()
        checksum &+= timed
        let cpuSeconds = threadCPUSeconds() - cpuStart
        let elapsed = start.duration(to: clock.now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return BenchmarkResult(
            name: benchmark.name,
            unit: benchmark.unit,
            iterations: benchmark.bodyCountsUnits ? Int(clamping: timed) : count,
            seconds: seconds,
            cpuSeconds: cpuSeconds,
            goalPerSecond: benchmark.goalPerSecond,
            baseline: benchmark.baseline,
            checksum: checksum,
            allocations: allocationsEnd.map { end in allocationsStart.map { end &- $0 } ?? 0 },
            allocationBudget: benchmark.allocationBudget
        )
    }

    /// One line per case: name, unit and default iterations (`lockstep bench --list`).
    public static func list(_ cases: [BenchmarkCase]) -> String {
        cases.map { "\($0.name) (\($0.unit), \($0.defaultIterations) iterations)" }.joined(separator: "\n")
    }

    /// A plain-text table: wall and CPU rates, the goal (judged on CPU rate), the ratio of CPU
    /// rates to the baseline when both ran, and heap allocations per unit with the budget check.
    public static func table(_ results: [BenchmarkResult]) -> String {
        let header = ["case", "unit", "iterations", "wall s", "rate/s wall", "rate/s cpu", "goal (cpu)", "vs baseline (cpu)",
                      "allocs/unit"]
        var rows = [header]
        for result in results {
            let goal: String
            if let target = result.goalPerSecond, let met = result.meetsGoal {
                goal = ">= \(rate(target)) \(met ? "met" : "MISSED")"
            } else {
                goal = "-"
            }
            var comparison = "-"
            if let baselineName = result.baseline,
               let reference = results.first(where: { $0.name == baselineName }) {
                comparison = "\(fixed(result.perCPUSecond / reference.perCPUSecond, decimals: 2))x \(baselineName)"
            }
            rows.append([
                result.name,
                result.unit,
                String(result.iterations),
                fixed(result.seconds, decimals: 3),
                rate(result.perSecond),
                rate(result.perCPUSecond),
                goal,
                comparison,
                allocationCell(result),
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell -> String in
                cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// "0.000", or with a budget "0.000 <= 0 ok" / "1.000 <= 0 MISSED"; "-" without a counter.
    private static func allocationCell(_ result: BenchmarkResult) -> String {
        guard let perUnit = result.allocationsPerUnit else { return "-" }
        let figure = fixed(perUnit, decimals: 3)
        guard let budget = result.allocationBudget, let met = result.meetsAllocationBudget else { return figure }
        return "\(figure) <= \(fixed(budget, decimals: budget == budget.rounded() ? 0 : 2)) \(met ? "ok" : "MISSED")"
    }

    private static func rate(_ value: Double) -> String {
        switch value {
        case 1e9...: return fixed(value / 1e9, decimals: 2) + "G"
        case 1e6...: return fixed(value / 1e6, decimals: 2) + "M"
        case 1e3...: return fixed(value / 1e3, decimals: 2) + "k"
        default: return fixed(value, decimals: 1)
        }
    }

    /// `value` rounded to `decimals` places, without Foundation's formatter.
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value > 0 ? "inf" : "nan" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e18 else { return String(value) }
        let whole = UInt64(scaled)
        let factor = UInt64(scale)
        let fraction = String(whole % factor)
        let sign = value < 0 && whole > 0 ? "-" : ""
        guard decimals > 0 else { return sign + String(whole) }
        return sign + String(whole / factor) + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }
}
