/// How an incoming queue orders a newly sent frame against frames already waiting.
public enum NetQueueOrdering: Sendable, Hashable {
    /// QEMU (F-13, quirk): a frame that can be delivered goes straight through, and only then
    /// are the older waiting frames flushed, so they arrive after it.
    case qemu
    /// Corrected: a new frame waits behind older ones, so arrival order is kept.
    case fifo
}
