/// The QMP state of one monitor connection: negotiation, the input splitter, unsent replies.
struct MonitorSession {
    var negotiated = false
    var splitter = JSONObjectSplitter()
    var output: [UInt8] = []
    /// A client that never reads its replies is disconnected past this many unsent bytes.
    static let outputLimit = 1 << 20

    /// A fresh session for a new connection starts with QEMU's greeting.
    static func connected() -> MonitorSession {
        var session = MonitorSession()
        session.output = Array(QMPProtocol.greeting.utf8)
        return session
    }
}
