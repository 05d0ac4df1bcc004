/// Writes framed records (W-1) to a chardev. The writer encodes: BE32 length, then the BE32
/// `vnetHeaderLength` only when `includeVnetField` is set, then the frame's bytes, each piece
/// written completely (W-3).
public protocol ChardevWriter: AnyObject {
    func writeRecord(_ frame: Frame, vnetHeaderLength: UInt32, includeVnetField: Bool) -> ChardevWriteResult
    /// After a write answered `.blocked`: `handler` hears once how it ended (`.written`, or
    /// `.failed` when the connection went away first).
    func whenBlockedWriteFinishes(_ handler: @escaping (ChardevWriteResult) -> Void)
}

extension ChardevWriter {
    /// For writers that never answer `.blocked`.
    public func whenBlockedWriteFinishes(_ handler: @escaping (ChardevWriteResult) -> Void) {
        handler(.written)
    }
}

/// Whether a chardev frontend currently has read handlers installed. While they are removed
/// the pipe must leave incoming bytes unread (they stay buffered, as in a socket), and must not
/// feed its frame decoder.
public protocol ChardevReadControl: AnyObject {
    func setReadHandlers(installed: Bool)
}

/// A chardev as a filter sees it (QEMU's chardev frontend). The lead wires real pipes to this.
public protocol ChardevPort: ChardevWriter, ChardevReadControl {
    var chardevID: String { get }
    /// "chardev ID", as filter outputs name their destination (asked for every record written,
    /// so a port may keep it rather than format it each time).
    var outputDestination: String { get }
    /// QEMU's frontend init: a chardev accepts a single frontend.
    func attachFrontend(owner: String) throws(ChardevAttachError)
    /// What the attached frontend hears from now on; detaching the frontend removes them.
    func setFrontendHandlers(_ handlers: ChardevFrontendHandlers)
    func detachFrontend(owner: String)
}

extension ChardevPort {
    public var outputDestination: String { "chardev \(chardevID)" }
}

/// Looks chardevs up by id (QEMU's chardev list).
public protocol ChardevDirectory: AnyObject {
    func chardev(id: String) -> (any ChardevPort)?
}

public enum ChardevWriteResult: Sendable, Hashable {
    /// The whole record went out.
    case written
    /// The write failed (or was partial) with this errno value; QEMU's filters turn it into a
    /// negative return (EIO when the write was merely short).
    case failed(errno: Int32)
    /// The socket is full and the writer blocks in the write until the reader makes room
    /// (`WriterBlocking.qemu`); `whenBlockedWriteFinishes` says how it ends.
    case blocked
}

public enum ChardevAttachError: Error, Sendable, Hashable, CustomStringConvertible {
    case alreadyInUse(chardev: String, owner: String)

    public var description: String {
        switch self {
        case .alreadyInUse(let chardev, let owner):
            "chardev '\(chardev)' is already used by '\(owner)' (a chardev has a single frontend)"
        }
    }
}
