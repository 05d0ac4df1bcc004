/// The smallest QMP client that serves the oracles: handshake, and synchronous commands whose
/// reply is recognised by its `return`/`error` member. Asynchronous events are skipped.
final class QMPClient {
    private let stream: UnixStream
    private var pending: [UInt8] = []

    init(stream: UnixStream) { self.stream = stream }

    func handshake(session: QEMUSession) throws(OracleError) {
        while try !readLine(session: session, purpose: "QMP greeting").contains("\"QMP\"") {}
        _ = try execute("qmp_capabilities", session: session)
    }

    /// Runs a command and returns the raw JSON reply line. QMP handlers run to completion
    /// in QEMU's main loop before the reply is written, so the reply doubles as a barrier
    /// for main-loop work (e.g. filter events).
    @discardableResult
    func execute(_ command: String, session: QEMUSession) throws(OracleError) -> String {
        let request = Array("{\"execute\":\"\(command)\"}\n".utf8)
        try session.write(request, to: stream, purpose: "QMP \(command)")
        while true {
            let line = try readLine(session: session, purpose: "QMP reply to \(command)")
            if line.contains("\"event\"") || line.contains("\"QMP\"") { continue }
            if line.contains("\"return\"") { return line }
            throw .qmpFailed(command: command, response: line, stderr: session.process.stderrText())
        }
    }

    private func readLine(session: QEMUSession, purpose: String) throws(OracleError) -> String {
        try session.waitUntil(purpose) { () throws(OracleError) -> Bool in
            if pending.contains(UInt8(ascii: "\n")) { return true }
            switch try stream.readAvailable() {
            case .bytes(let bytes): pending.append(contentsOf: bytes)
            case .wouldBlock: break
            case .closed:
                throw .qemuExited(
                    status: session.exitStatusAfterClose(), during: "\(purpose) (QMP closed)",
                    stderr: session.process.stderrText())
            }
            return pending.contains(UInt8(ascii: "\n"))
        }
        guard let newline = pending.firstIndex(of: UInt8(ascii: "\n")) else { return "" }
        let line = String(decoding: pending[..<newline], as: UTF8.self)
        pending.removeFirst(newline + 1)
        return line
    }
}
