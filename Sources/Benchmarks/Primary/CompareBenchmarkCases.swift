import Fabric

extension CompareBenchmarks {
    /// Built once, on first use (the runner's warm-up), so the timed run measures the compare only.
    private static let tcpStream = makeTCPResegmentedWorkload(segments: 20_000)

    /// The compare's cases for `lockstep bench`. The baseline is Fabric's 64-byte memcpy, measured
    /// in the same run.
    public static var all: [BenchmarkCase] {
        [
            // Issue #18: 10M pairs/s with no heap allocation per pair.
            BenchmarkCase(
                name: "compare.udp-pairs.64B-64flows", unit: "pairs", defaultIterations: 2_000_000,
                goalPerSecond: 10_000_000, baseline: "memcpy.64B", allocationBudget: 0
            ) { iterations in
                UInt64(runUDPMatchedPairs(makeUDPWorkload(pairs: iterations)))
            },
            // Iterations are rounded up to whole streams of 20 000 segments.
            // Issue #18: 4M segments/s with no heap allocation per segment.
            BenchmarkCase(
                name: "compare.tcp-resegmented.1448B", unit: "segments", defaultIterations: 200_000,
                goalPerSecond: 4_000_000, baseline: "memcpy.64B", allocationBudget: 0
            ) { iterations in
                var matched: UInt64 = 0
                for _ in 0..<max(1, (iterations + 19_999) / 20_000) {
                    matched += UInt64(runTCPResegmented(tcpStream))
                }
                return matched
            },
            // The floors the two cases above are judged against: the per-unit work without the
            // engine around it (CompareFloor).
            BenchmarkCase(
                name: "compare.floor.udp-pair-work", unit: "pairs", defaultIterations: 2_000_000,
                baseline: "memcpy.64B", allocationBudget: 0
            ) { iterations in
                CompareFloor.udpPairWork(makeUDPWorkload(pairs: iterations))
            },
            BenchmarkCase(
                name: "compare.floor.tcp-segment-work", unit: "segments", defaultIterations: 200_000,
                baseline: "memcpy.64B", allocationBudget: 0
            ) { iterations in
                var work: UInt64 = 0
                for _ in 0..<max(1, (iterations + 19_999) / 20_000) {
                    work &+= CompareFloor.tcpSegmentWork(tcpStream)
                }
                return work
            },
        ]
    }
}
