/// What deleting a colo-compare (`object-del`, or QEMU's network shutdown) does with the
/// primary packets it still holds (C-28).
public enum CompareDeletionFlush: String, Sendable, Hashable, CaseIterable {
    /// QEMU (7.2, and upstream as far as its source reads): `colo_compare_finalize` detaches
    /// outdev (and the inputs) before it flushes, so every flushed primary's write fails and the
    /// packet is lost, as is output still waiting in the send queue. Counted as failed writes.
    case qemu
    /// What C-28 intends (the `fixed` choice): the flushed primaries are written to outdev.
    case deliver
}
