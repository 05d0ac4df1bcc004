import Glibc
import Fabric
import COLORuntime


/// The COLO runtime's benchmark: the default scenario's clean workload scaled up (by default
/// 100 connections × 100 exchanges) through the whole topology. It is the only code of the
/// runtime that reads real clocks, and only to measure.
///
/// Reproduce from a release build: `swift build -c release` then
/// `/usr/bin/time -v .build/release/lockstep run --connections 100 --requests 100 --no-divergence --end-when-done --no-baseline`
/// (the report's last line gives the hops), or call `COLOBenchmark.measure()`.
public enum COLOBenchmark {
    public struct Result: Sendable, Hashable {
        public var connections: Int
        public var exchanges: Int
        public var hops: Int
        public var schedulerEvents: Int
        public var logEntries: Int
        public var virtualTime: VirtualTime
        public var wallSeconds: Double
        /// CPU time of the process (user + system) during the run.
        public var cpuSeconds: Double
        /// The process's peak resident set size so far, in bytes.
        public var peakResidentBytes: Int
        public var invariantsHold: Bool
        public var traceHash: UInt64

        private static func milliseconds(_ seconds: Double) -> Int { Int((seconds * 1_000).rounded()) }

        public var hopsPerWallSecond: Double { wallSeconds > 0 ? Double(hops) / wallSeconds : 0 }
        public var hopsPerCPUSecond: Double { cpuSeconds > 0 ? Double(hops) / cpuSeconds : 0 }

        public var summary: String {
            "\(connections) connections × \(exchanges) exchanges: \(hops) hops, \(schedulerEvents) events in "
                + "\(Self.milliseconds(wallSeconds)) ms wall / \(Self.milliseconds(cpuSeconds)) ms CPU = "
                + "\(Int(hopsPerWallSecond)) hops/s wall, \(Int(hopsPerCPUSecond)) hops/s CPU; peak RSS "
                + "\(peakResidentBytes / 1_048_576) MiB; invariants \(invariantsHold ? "hold" : "VIOLATED")"
        }
    }

    /// The default scenario without its divergent response, scaled to `connections` ×
    /// `exchanges`, ending when the workload is done; no baseline run.
    public static func configuration(connections: Int = 100, exchanges: Int = 100) -> COLORunConfiguration {
        var configuration = COLORunConfiguration()
        configuration.workload.connections = max(1, connections)
        configuration.workload.requestsPerConnection = max(1, exchanges)
        configuration.duration = .seconds(600)
        configuration.endsWhenWorkloadCompletes = true
        configuration.measuresBaseline = false
        return configuration
    }

    public static func measure(connections: Int = 100, exchanges: Int = 100) throws(COLORunError) -> Result {
        let clock = ContinuousClock()
        let cpuStart = processCPUSeconds()
        let start = clock.now
        let report = try COLORun(configuration(connections: connections, exchanges: exchanges)).run()
        let elapsed = start.duration(to: clock.now)
        let cpu = processCPUSeconds() - cpuStart
        return Result(
            connections: connections, exchanges: exchanges, hops: report.hops, schedulerEvents: report.schedulerEvents,
            logEntries: report.logEntries, virtualTime: report.endTime,
            wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
            cpuSeconds: cpu, peakResidentBytes: peakResidentBytes(), invariantsHold: report.invariantsHold,
            traceHash: report.traceHash)
    }

    /// `lockstep bench` case: one iteration is one client exchange, run as 100 connections of
    /// `iterations / 100` exchanges each through the whole COLO topology.
    public static let all: [BenchmarkCase] = [
        BenchmarkCase(name: "colo.scaled-default.exchanges", unit: "exchanges", defaultIterations: 10_000) { iterations in
            let exchanges = max(1, iterations / 100)
            let report = try? COLORun(configuration(connections: 100, exchanges: exchanges)).run()
            return UInt64(report?.hops ?? 0)
        },
        // Issue 6's figure: whole 100 × 100 runs (one by default), rated in packet hops, beside
        // a baseline measured in the same process.
        BenchmarkCase(name: "colo.100x100.hops", unit: "hops", defaultIterations: 1, goalPerSecond: 1_000_000,
                      baseline: "memcpy.64B", bodyCountsUnits: true) { runs in
            var hops: UInt64 = 0
            for _ in 0..<runs {
                hops += UInt64((try? COLORun(configuration(connections: 100, exchanges: 100)).run())?.hops ?? 0)
            }
            return hops
        },
    ]

    /// RUSAGE_SELF (0 on Linux and Darwin; the Glibc import gives it an enum type).
    private static let rusageSelf: Int32 = 0

    static func processCPUSeconds() -> Double {
        var usage = rusage()
        guard getrusage(rusageSelf, &usage) == 0 else { return 0 }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) * 1e-6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func peakResidentBytes() -> Int {
        var usage = rusage()
        guard getrusage(rusageSelf, &usage) == 0 else { return 0 }
        // Linux reports ru_maxrss in KiB.
        return Int(usage.ru_maxrss) * 1_024
    }
}
