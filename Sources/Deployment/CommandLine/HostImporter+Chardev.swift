extension HostImporter {
    mutating func readChardev(_ value: String, at location: ArgumentLocation, next: QEMUArgument?) {
        guard let pairs = pairs(of: value, impliedKey: "backend", option: "chardev", at: location) else { return }
        guard let backend = pairs.value(for: "backend"), !backend.isEmpty else {
            finding(.missingParameter, at: location, key: "backend",
                    message: "-chardev has no backend: QEMU refuses it",
                    hint: "start the value with the backend, e.g. -chardev socket,id=c0,...")
            return
        }
        guard QEMUParameterCatalog.chardevBackends.contains(backend) else {
            let suggestion = ClosestName.suggestion(for: backend, among: QEMUParameterCatalog.chardevBackends)
            finding(.invalidValue, at: location, key: "backend",
                    message: "'\(backend)' is not a chardev backend QEMU knows",
                    hint: suggestion.map { "did you mean \($0)?" } ?? "use socket for COLO pipes")
            return
        }
        if backend == "socket" {
            checkKeys(pairs, allowed: QEMUParameterCatalog.socketChardevParameters, what: "chardev socket", at: location, next: next)
        } else {
            reportShortForms(pairs, allowed: nil, at: location)
        }
        let rawID = pairs.value(for: "id")
        guard let id = checkID(rawID, kind: "chardev", existing: rawID.flatMap { configuration.chardev($0) } != nil, at: location) else {
            return
        }
        let chardevBackend: ChardevBackend
        if backend == "socket" {
            guard let socket = socketOptions(pairs, at: location) else { return }
            chardevBackend = .socket(socket)
        } else {
            chardevBackend = .other(kind: backend, options: Self.remaining(pairs, excluding: ["backend", "id"]))
        }
        configuration.chardevs.append(ChardevConfiguration(id: id, backend: chardevBackend))
        sources.chardevLocations[id] = location
    }

    private static let modelledSocketKeys = [
        "backend", "id", "path", "host", "port", "fd", "server", "wait", "reconnect", "reconnect-ms",
    ]

    private mutating func socketOptions(_ pairs: [ParsedKeyValue], at location: ArgumentLocation) -> SocketChardevOptions? {
        let what = "chardev socket"
        let path = pairs.value(for: "path")
        let host = pairs.value(for: "host")
        let port = pairs.value(for: "port")
        let fd = pairs.value(for: "fd")
        let addressCount = [path, host, fd].compactMap { $0 }.count
        guard addressCount <= 1 else {
            finding(.invalidValue, at: location, key: "path",
                    message: "\(what) gives more than one of path, host and fd: QEMU accepts at most one",
                    hint: "keep host=,port= for TCP or path= for a unix socket")
            return nil
        }
        let address: SocketAddress
        if let path {
            address = .unix(path: path)
        } else if let host {
            guard let port else {
                finding(.missingParameter, at: location, key: "port",
                        message: "\(what) has host=\(host) but no port: QEMU refuses it (no port given)",
                        hint: "add port=N")
                return nil
            }
            address = .inet(host: host, port: port)
        } else if let fd {
            address = .fd(fd)
        } else if let port {
            address = .inet(host: "", port: port)
        } else {
            finding(.missingParameter, at: location, key: "path",
                    message: "\(what) has no address: nothing can connect to it",
                    hint: "add host=H,port=P or path=/some/socket")
            return nil
        }
        var server = false
        var wait: Bool?
        var reconnect: UInt64?
        var reconnectMs: UInt64?
        for pair in pairs {
            switch pair.key {
            case "server":
                if let flag = bool(pair, what: what, at: location) { server = flag }
            case "wait":
                if let flag = bool(pair, what: what, at: location) { wait = flag }
            case "reconnect", "reconnect-ms":
                guard let number = ValueParsing.uint64(pair.value) else {
                    finding(.invalidValue, at: location, key: pair.key,
                            message: "\(what) \(pair.key)='\(pair.value)' is not a number",
                            hint: "write \(pair.key)=1")
                    continue
                }
                if pair.key == "reconnect" { reconnect = number } else { reconnectMs = number }
            default:
                continue
            }
        }
        if server, reconnect != nil || reconnectMs != nil {
            finding(.invalidValue, at: location, key: "reconnect",
                    message: "\(what) is a server with reconnect: QEMU refuses reconnect in server listen mode",
                    hint: "remove reconnect= from the server; put it on the client")
            return nil
        }
        if !server, wait != nil {
            finding(.invalidValue, at: location, key: "wait",
                    message: "\(what) is a client with wait=: QEMU refuses wait in client connect mode",
                    hint: "remove wait= (it only applies to server=on), or add server=on")
            return nil
        }
        if reconnect != nil, reconnectMs != nil {
            finding(.invalidValue, at: location, key: "reconnect-ms",
                    message: "\(what) gives both reconnect and reconnect-ms: QEMU accepts only one",
                    hint: "keep one of them")
            return nil
        }
        return SocketChardevOptions(
            address: address,
            server: server,
            wait: wait ?? true,
            reconnectSeconds: reconnect,
            reconnectMilliseconds: reconnectMs,
            options: Self.remaining(
                pairs.filter { QEMUParameterCatalog.socketChardevParameters.contains($0.key) },
                excluding: Self.modelledSocketKeys
            )
        )
    }

    /// The pairs not modelled explicitly, last value per key, in first-written order.
    static func remaining(_ pairs: [ParsedKeyValue], excluding excluded: [String]) -> [QEMUKeyValue] {
        var result: [QEMUKeyValue] = []
        for pair in pairs where !excluded.contains(pair.key) {
            if let existing = result.firstIndex(where: { $0.key == pair.key }) {
                result[existing].value = pair.value
            } else {
                result.append(QEMUKeyValue(pair.key, pair.value))
            }
        }
        return result
    }
}
