import AllocationCounter

/// Heap allocations made by the calling thread, from the AllocationCounter C target.
/// Benchmarks only: it measures cost and never feeds a simulation.
enum AllocationCount {
    /// Allocations the calling thread has made so far; nil when the counter is not installed.
    static func onThisThread() -> UInt64? {
        lockstep_allocation_counter_installed() != 0 ? lockstep_thread_allocations() : nil
    }
}
