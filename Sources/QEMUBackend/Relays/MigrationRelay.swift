import Glibc
import Fabric
import Deployment

/// Lockstep in the middle of the COLO migration stream: the primary migrates to the relay,
/// which connects on to the secondary's `-incoming` socket. The primary's stream passes
/// untouched. The return path carries only COLO's 4-byte messages; each one is handed to
/// `onReturnMessage` before it is forwarded, so Lockstep acts at the exact step of every
/// checkpoint (the secondary has stopped; has received the state; has loaded it and runs),
/// before the primary can take the next step.
final class MigrationRelay {
    /// COLO's messages on the migration channel (QEMU's COLOMessage numbering).
    enum Message: UInt32, Sendable, CustomStringConvertible {
        case checkpointReady = 0
        case checkpointRequest = 1
        case checkpointReply = 2
        case vmstateSend = 3
        case vmstateSize = 4
        case vmstateReceived = 5
        case vmstateLoaded = 6

        var description: String {
            switch self {
            case .checkpointReady: "checkpoint-ready"
            case .checkpointRequest: "checkpoint-request"
            case .checkpointReply: "checkpoint-reply"
            case .vmstateSend: "vmstate-send"
            case .vmstateSize: "vmstate-size"
            case .vmstateReceived: "vmstate-received"
            case .vmstateLoaded: "vmstate-loaded"
            }
        }
    }

    private let listener: StreamListener
    private let incomingPath: String
    private var primarySide: StreamConnection?
    private var secondarySide: StreamConnection?
    private var returnBytes: [UInt8] = []
    private(set) var bytesToSecondary: UInt64 = 0
    private(set) var closed = false
    /// Runs before the message goes on to the primary.
    var onReturnMessage: ((Message) -> Void)?
    /// A message number COLO does not define (the stream is not what the backend expects).
    var onUnknownMessage: ((UInt32) -> Void)?
    /// One side closed; the relay closes the other (a dead primary's peer sees the stream end).
    var onClosed: ((HostRole) -> Void)?

    init(listenPath: String, incomingPath: String) throws(BackendSocketError) {
        listener = try StreamListener(path: listenPath)
        self.incomingPath = incomingPath
    }

    var isConnected: Bool { primarySide != nil && secondarySide != nil }

    var descriptors: [pollfd] {
        var fds = [pollfd(fd: listener.fd, events: Int16(POLLIN), revents: 0)]
        for side in [primarySide, secondarySide].compactMap({ $0 }) where side.isOpen {
            fds.append(pollfd(fd: side.fd, events: Int16(POLLIN) | (side.hasPendingOutput ? Int16(POLLOUT) : 0), revents: 0))
        }
        return fds
    }

    func service() {
        if primarySide == nil, let accepted = listener.accept(label: "migration from the primary") {
            primarySide = accepted
            secondarySide = try? StreamConnection.connect(path: incomingPath, label: "migration to the secondary")
            if secondarySide == nil { accepted.close() }
        }
        guard let primarySide, let secondarySide, !closed else { return }
        primarySide.flush()
        secondarySide.flush()
        forwardStream(from: primarySide, to: secondarySide)
        readReturnPath(from: secondarySide, to: primarySide)
        if !primarySide.isOpen || !secondarySide.isOpen {
            let gone: HostRole = primarySide.isOpen ? .secondary : .primary
            close()
            onClosed?(gone)
        }
    }

    private func forwardStream(from primary: StreamConnection, to secondary: StreamConnection) {
        while primary.isOpen {
            switch primary.read() {
            case .bytes(let bytes):
                bytesToSecondary += UInt64(bytes.count)
                secondary.write(bytes)
            case .nothing: return
            case .closed: primary.close()
            }
        }
    }

    private func readReturnPath(from secondary: StreamConnection, to primary: StreamConnection) {
        while secondary.isOpen {
            switch secondary.read() {
            case .bytes(let bytes):
                returnBytes.append(contentsOf: bytes)
                while returnBytes.count >= 4 {
                    let word = Array(returnBytes.prefix(4))
                    returnBytes.removeFirst(4)
                    let number = RecordSplitter.be32(word, at: 0)
                    if let message = Message(rawValue: number) {
                        onReturnMessage?(message)
                    } else {
                        onUnknownMessage?(number)
                    }
                    primary.write(word)
                }
            case .nothing: return
            case .closed: secondary.close()
            }
        }
    }

    func close() {
        closed = true
        primarySide?.close()
        secondarySide?.close()
        listener.close()
    }
}
