/// A chardev's connection coming up or going down, as its frontend's event handler hears it
/// (QEMU's CHR_EVENT_OPENED and CHR_EVENT_CLOSED).
public enum ChardevEvent: Sendable, Hashable {
    case opened
    case closed
}
