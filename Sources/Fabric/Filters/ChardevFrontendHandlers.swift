/// What a chardev's frontend hears from it, installed by the frontend itself (QEMU's frontend
/// handlers): every record decoded from the bytes read, a framing error in them, and the
/// connection opening or closing. Whether the chardev reads at all is switched separately,
/// with ``ChardevReadControl/setReadHandlers(installed:)``.
public struct ChardevFrontendHandlers {
    public var read: (Frame) -> Void
    public var framingError: (FramingError) -> Void
    /// Nil for a frontend that takes no events (colo-compare's inputs).
    public var event: ((ChardevEvent) -> Void)?

    public init(
        read: @escaping (Frame) -> Void,
        framingError: @escaping (FramingError) -> Void,
        event: ((ChardevEvent) -> Void)? = nil
    ) {
        self.read = read
        self.framingError = framingError
        self.event = event
    }
}
