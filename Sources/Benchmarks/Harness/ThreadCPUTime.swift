import Glibc

/// CPU seconds consumed so far by the calling thread. Benchmarks only: it measures cost, and
/// never feeds a simulation.
func threadCPUSeconds() -> Double {
    var now = timespec()
    guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now) == 0 else { return 0 }
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}
