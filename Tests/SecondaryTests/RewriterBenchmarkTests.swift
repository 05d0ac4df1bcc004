import Secondary
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CPU time of the calling thread: the machine is shared, so wall time alone understates.
private func threadCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
}

@Suite("Rewriter benchmark")
struct RewriterBenchmarkTests {
    @Test("Benchmark function rewrites every frame of established connections")
    func countsEveryFrame() {
        #expect(RewriterBenchmarks.rewriteEstablished(1_000) == 1_000)
        #expect(RewriterBenchmarks.rewriteEstablished(frames: 10, connections: 1, payloadBytes: 0) == 10)
    }

    /// Measured only on request: LOCKSTEP_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter RewriterBenchmarkTests
    @Test("Benchmark: frames per second (LOCKSTEP_BENCH=1, release build)", .enabled(if: getenv("LOCKSTEP_BENCH") != nil))
    func measure() {
        for payload in [0, 64, 1_460] {
            let frames = 5_000_000
            _ = RewriterBenchmarks.rewriteEstablished(frames: frames / 10, connections: 64, payloadBytes: payload)
            let clock = ContinuousClock()
            let start = clock.now
            let cpuStart = threadCPUSeconds()
            let count = RewriterBenchmarks.rewriteEstablished(frames: frames, connections: 64, payloadBytes: payload)
            let cpu = threadCPUSeconds() - cpuStart
            let elapsed = start.duration(to: clock.now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            // Wall-clock rate, and the rate per CPU-second of this thread (what an idle core gives).
            print("rewriter.established payload=\(payload)B: \(count) frames, wall \(Int(Double(count) / seconds)) frames/s, "
                + "cpu \(Int(Double(count) / cpu)) frames/s")
            #expect(count == frames)
        }
    }
}
