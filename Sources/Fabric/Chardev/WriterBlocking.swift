/// What a chardev writer does when the socket's buffer is full (M-4, R-3, W-10).
public enum WriterBlocking: String, Sendable, Hashable, CaseIterable {
    /// QEMU: the write loops on EAGAIN until the whole record is in the socket. A filter's write
    /// runs inside the filter walk, and QEMU polls the main loop's own context meanwhile, so the
    /// process's main loop is wedged in that walk, holding the big lock, until the reader makes
    /// room — for good if the reader stopped reading. colo-compare writes from its iothread: its
    /// send queue grows instead (C-23, C-24).
    case qemu
    /// The `fixed` choice: writers never block. A record the socket refuses waits in an
    /// unbounded backlog, written in order as the socket drains, and the writer is told at once
    /// that it succeeded.
    case fixed
}
