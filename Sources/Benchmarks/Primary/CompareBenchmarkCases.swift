import Fabric
import GuestStack
import Primary

extension CompareBenchmarks {
    /// Built once, on first use (the runner's warm-up), so the timed run measures the compare only.
    private static let tcpStream = makeTCPResegmentedWorkload(segments: 20_000)

    /// The compare's cases for `lockstep bench`. The baseline is Fabric's 64-byte memcpy, measured
    /// in the same run.
    public static var all: [BenchmarkCase] {
        [
            BenchmarkCase(
                name: "compare.udp-pairs.64B-64flows", unit: "pairs", defaultIterations: 2_000_000,
                goalPerSecond: 5_000_000, baseline: "memcpy.64B"
            ) { iterations in
                UInt64(runUDPMatchedPairs(makeUDPWorkload(pairs: iterations)))
            },
            // Iterations are rounded up to whole streams of 20 000 segments.
            BenchmarkCase(
                name: "compare.tcp-resegmented.1448B", unit: "segments", defaultIterations: 200_000,
                baseline: "memcpy.64B"
            ) { iterations in
                var matched: UInt64 = 0
                for _ in 0..<max(1, (iterations + 19_999) / 20_000) {
                    matched += UInt64(runTCPResegmented(tcpStream))
                }
                return matched
            },
            // A memory and time bound, not a speed: one primary waits for a secondary that never
            // comes across a year of capture time, scanned every millisecond. Idle time must
            // cost nothing (issue #19): a run takes microseconds and a few decisions, where
            // stepping every scan took hours and gigabytes.
            BenchmarkCase(
                name: "compare.capture-year-gap", unit: "scans", defaultIterations: 20, bodyCountsUnits: true
            ) { iterations in
                var scans: UInt64 = 0
                for _ in 0..<max(1, iterations) { scans += UInt64(runCaptureGap(gapUs: 365 * 86_400 * 1_000_000, scanCycleMs: 1)) }
                return scans
            },
        ]
    }

    /// A stuck primary, then another frame `gapUs` later, through `CaptureCompare`: returns the
    /// scans the gap holds (what stepping would have run) once the run has kept its repeats
    /// to a handful of decisions.
    public static func runCaptureGap(gapUs: Int64, scanCycleMs: UInt32) -> Int {
        var builder = IPv4FrameBuilder(source: HostNetwork.guestAddress, destination: IPv4Address(10, 0, 1, 1))
        let stuck = builder.udp(sourcePort: 4000, destinationPort: 53, payload: Array("stuck".utf8))
        builder.identification = 2
        let late = builder.udp(sourcePort: 4001, destinationPort: 53, payload: Array("late".utf8))
        let result = CaptureCompare.run(
            primary: [CapturedFrame(timestampUs: 0, frame: stuck), CapturedFrame(timestampUs: gapUs, frame: late)], secondary: [],
            options: CaptureCompareOptions(expiredScanCycleMs: scanCycleMs))
        precondition(result.decisions.count < 10, "a gap must not cost a decision per scan")
        return Int(gapUs / 1000 / Int64(scanCycleMs))
    }
}
