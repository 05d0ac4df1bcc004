import Glibc
import Primary

extension ServeDaemon {
    /// The QMP commands served; everything else is "not found", as QEMU answers.
    static let monitorCommands = [
        "qmp_capabilities", "query-chardev", "query-commands", "query-status", "query-version",
        "quit", "object-del", "xen-colo-do-checkpoint",
    ]

    func feedMonitor(_ index: Int, _ chunk: UnsafeRawBufferPointer, nowMs: Int64) {
        guard var session = monitorSessions[index] else { return }
        for piece in session.splitter.feed(chunk) {
            switch piece {
            case .error(let description):
                session.output += Array(QMPProtocol.error("GenericError", description, id: nil).utf8)
            case .object(let bytes):
                switch QMPProtocol.parse(bytes) {
                case .failure(.invalid(let description)):
                    session.output += Array(QMPProtocol.error("GenericError", description, id: nil).utf8)
                case .success(let request):
                    session.output += Array(execute(request, session: &session, nowMs: nowMs).utf8)
                }
            }
        }
        monitorSessions[index] = session
    }

    private func execute(_ request: QMPRequest, session: inout MonitorSession, nowMs: Int64) -> String {
        let id = request.idJSON
        guard session.negotiated || request.command == "qmp_capabilities" else {
            return QMPProtocol.error("CommandNotFound", "Expecting capabilities negotiation with 'qmp_capabilities'", id: id)
        }
        switch request.command {
        case "qmp_capabilities":
            if session.negotiated {
                return QMPProtocol.error("CommandNotFound", "Capabilities negotiation is already complete, command ignored", id: id)
            }
            session.negotiated = true
            return QMPProtocol.success(id: id)
        case "query-chardev":
            return QMPProtocol.success(QMPProtocol.chardevList(chardevs.map { ($0.spec.id, $0.queryFilename) }), id: id)
        case "query-commands":
            let names = Self.monitorCommands.map { "{\"name\": \"\($0)\"}" }.joined(separator: ", ")
            return QMPProtocol.success("[\(names)]", id: id)
        case "query-status":
            return QMPProtocol.success(#"{"status": "running", "singlestep": false, "running": true}"#, id: id)
        case "query-version":
            return QMPProtocol.success(#"{"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": "lockstep serve"}"#, id: id)
        case "quit":
            beginShutdown(reason: "QMP quit", nowMs: nowMs)
            return QMPProtocol.success(id: id)
        case "object-del":
            guard let objectID = request.stringArguments["id"] else {
                return QMPProtocol.error("GenericError", "Parameter 'id' is missing", id: id)
            }
            // A deleted compare is gone, as QEMU removes the object: a second object-del of it is
            // "not found".
            if let host = hosts.first(where: { $0.id == objectID && !$0.isDeleted }) {
                deleteCompare(host, nowMs: nowMs)
                return QMPProtocol.success(id: id)
            }
            if configuration.iothreads.contains(objectID) {
                return QMPProtocol.error("GenericError", "object '\(objectID)' is in use, can not be deleted", id: id)
            }
            return QMPProtocol.error("GenericError", "object '\(objectID)' not found", id: id)
        case "xen-colo-do-checkpoint":
            // QEMU sends this checkpoint event to netfilters only; compares are flushed through
            // notify_dev (K-13). A standalone compare process has no filters: nothing happens.
            return QMPProtocol.success(id: id)
        default:
            return QMPProtocol.error("CommandNotFound", "The command \(request.command) has not been found", id: id)
        }
    }

    /// Writes queued replies; a client that lets too much pile up is disconnected.
    func writeMonitor(_ index: Int, nowMs: Int64) {
        guard var session = monitorSessions[index], chardevs[index].isConnected else { return }
        let fd = chardevs[index].connection
        while !session.output.isEmpty {
            let count = session.output.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count > 0 {
                session.output.removeFirst(count)
                continue
            }
            let code = errno
            if count < 0 && code == EINTR { continue }
            if count < 0 && (code == EAGAIN || code == EWOULDBLOCK) { break }
            monitorSessions[index] = nil
            connectionLost(index, nowMs: nowMs, reason: "write failed: \(String(cString: strerror(code)))")
            return
        }
        if session.output.count > MonitorSession.outputLimit {
            monitorSessions[index] = nil
            connectionLost(index, nowMs: nowMs, reason: "the monitor client does not read its replies")
            return
        }
        monitorSessions[index] = session
    }
}
