/// An in-memory chardev that keeps every record written to it, for tests and the demo. It can
/// be told to fail writes, it remembers whether a reader has read handlers installed, and it
/// hands a record it `receive`s to its frontend's read handler.
public final class RecordingChardev: ChardevPort {
    /// One record as the writer was asked to frame it.
    public struct Record: Sendable, Hashable {
        public var payload: [UInt8]
        /// The V field, or nil when the record carries none.
        public var vnetHeaderLength: UInt32?

        /// The bytes on the wire (W-1).
        public func encoded() throws(RecordEncodingError) -> [UInt8] {
            try RecordEncoder(vnetHeaderSupport: vnetHeaderLength != nil).record(payload: payload, vnetHeaderLength: vnetHeaderLength ?? 0)
        }
    }

    public let chardevID: String
    public private(set) var records: [Record] = []
    public private(set) var frontendOwner: String?
    public private(set) var readHandlersInstalled = false
    private var frontendHandlers: ChardevFrontendHandlers?
    /// While set, every write fails with this errno value.
    public var failWritesWithErrno: Int32?

    public init(id: String) {
        chardevID = id
    }

    public func attachFrontend(owner: String) throws(ChardevAttachError) {
        if let frontendOwner { throw .alreadyInUse(chardev: chardevID, owner: frontendOwner) }
        frontendOwner = owner
    }

    public func setFrontendHandlers(_ handlers: ChardevFrontendHandlers) {
        frontendHandlers = handlers
    }

    public func detachFrontend(owner: String) {
        guard frontendOwner == owner else { return }
        frontendOwner = nil
        frontendHandlers = nil
        readHandlersInstalled = false
    }

    /// A record arrives from the other end: the frontend's read handler gets it. Returns false
    /// when no frontend has handlers installed.
    @discardableResult
    public func receive(_ frame: Frame) -> Bool {
        guard let frontendHandlers else { return false }
        frontendHandlers.read(frame)
        return true
    }

    public func writeRecord(_ frame: Frame, vnetHeaderLength: UInt32, includeVnetField: Bool) -> ChardevWriteResult {
        if let failWritesWithErrno { return .failed(errno: failWritesWithErrno) }
        records.append(Record(payload: frame.bytes, vnetHeaderLength: includeVnetField ? vnetHeaderLength : nil))
        return .written
    }

    public func setReadHandlers(installed: Bool) {
        readHandlersInstalled = installed
    }
}
