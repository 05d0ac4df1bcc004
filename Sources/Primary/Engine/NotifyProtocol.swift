/// The notify_dev tokens (C-26, C-27, §14): protocol constants, matched by exact length and
/// bytes, with no terminator.
public enum NotifyProtocol {
    /// Xen's hello; answered with `proxyInitReply`.
    public static let proxyInit = Array("COLO_USERSPACE_PROXY_INIT".utf8)
    public static let proxyInitReply = Array("COLO_COMPARE_GET_XEN_INIT".utf8)
    /// Xen asks for a flush (a checkpoint completed).
    public static let checkpoint = Array("COLO_CHECKPOINT".utf8)
    /// The compare asks Xen for a checkpoint.
    public static let doCheckpoint = Array("DO_CHECKPOINT".utf8)
}
