extension HostImporter {
    /// Every key QEMU's `-chardev` option list knows, whatever the backend: QEMU refuses a key
    /// outside it ("Invalid parameter") and ignores one its backend does not use. Probed against
    /// Debian's 7.2 binary; upstream swapped `reconnect` for `reconnect-ms` (10.2).
    static func chardevOptionKeys(_ version: QEMUVersion) -> [String] {
        [
            "backend", "id", "path", "host", "port", "fd", "localaddr", "localport", "to", "ipv4", "ipv6",
            "wait", "server", "delay", "nodelay", version == .v7_2 ? "reconnect" : "reconnect-ms",
            "telnet", "tn3270", "tls-creds", "tls-authz", "websocket", "width", "height", "cols", "rows",
            "mux", "signal", "name", "debug", "size", "chardev", "append", "logfile", "logappend",
            "mouse", "clipboard", "abstract", "tight",
        ]
    }

    mutating func readChardev(_ value: String, at location: ArgumentLocation, next: QEMUArgument?) {
        // -chardev has no JSON form: `{"backend":...` is read as key=value text, and QEMU
        // refuses its second element as an unknown short-form key.
        guard let pairs = pairs(of: value, impliedKey: "backend", option: "chardev", acceptsJSON: false, at: location) else { return }
        let known = Self.chardevOptionKeys(version)
        checkKeys(pairs, allowed: known, what: "-chardev", wording: .invalidParameter, at: location, next: next)
        if value.hasPrefix("{") {
            finding(.invalidValue, at: location,
                    message: "-chardev has no JSON form (\(version) reads only key=value lists for it)",
                    hint: "write -chardev socket,id=ID,host=...,port=...",
                    claim: refused(matching: "Invalid parameter '.*'"))
            return
        }
        let rawID = pairs.id
        guard let backend = pairs.value(for: "backend"), !backend.isEmpty else {
            finding(.missingParameter, at: location, key: "backend",
                    message: "-chardev has no backend: QEMU refuses it",
                    hint: "start the value with the backend, e.g. -chardev socket,id=c0,...",
                    claim: rawID.map { refused("chardev: \"\($0)\" missing backend") } ?? refused("chardev: no id specified"))
            return
        }
        let backends = QEMUParameterCatalog.chardevBackends(version)
        guard backends.contains(backend) else {
            let suggestion = ClosestName.suggestion(for: backend, among: backends)
            finding(.invalidValue, at: location, key: "backend",
                    message: "'\(Excerpt.short(backend))' is not a chardev backend \(version) knows",
                    hint: suggestion.map { "did you mean \($0)?" } ?? "use socket for COLO pipes",
                    claim: refused("'\(backend)' is not a valid char driver name"))
            return
        }
        if backend == "socket" {
            let socketKeys = QEMUParameterCatalog.socketChardevParameters(version)
            let ignored = pairs.filter { known.contains($0.key) && !socketKeys.contains($0.key) }
            if let first = ignored.first {
                finding(.unknownParameter, severity: .warning, at: location, key: first.key,
                        message: "chardev socket ignores \(ignored.map { "'\(Excerpt.short($0.key))'" }.joined(separator: ", ")): QEMU accepts the key for other backends and starts",
                        hint: "remove it",
                        claim: .started(version: version))
            }
        }
        guard let id = checkID(rawID, kind: .chardev, existing: rawID.map { chardevIDs.contains($0) } ?? false, at: location) else {
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
        chardevIDs.insert(id)
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
        guard [path, host, fd].compactMap({ $0 }).count <= 1 else {
            finding(.invalidValue, at: location, key: "path",
                    message: "\(what) gives more than one of path, host and fd: QEMU accepts at most one",
                    hint: "keep host=,port= for TCP or path= for a unix socket",
                    claim: refused("None or one of 'path', 'fd' or 'host' option required."))
            return nil
        }
        var server = false
        var wait: Bool?
        var reconnect: (key: String, value: UInt64)?
        for pair in pairs {
            switch pair.key {
            case "server":
                if let flag = bool(pair, what: what, at: location) { server = flag }
            case "wait":
                if let flag = bool(pair, what: what, at: location) { wait = flag }
            case "reconnect", "reconnect-ms":
                guard let number = ValueParsing.qemuOptionNumber(pair.value) else {
                    finding(.invalidValue, at: location, key: pair.key,
                            message: "\(what) \(pair.key)='\(Excerpt.short(pair.value))' is not a number",
                            hint: pair.key == "reconnect" ? "write reconnect=1 (seconds)" : "write reconnect-ms=1000",
                            claim: refused("Parameter '\(pair.key)' expects a number"))
                    continue
                }
                reconnect = (pair.key, number)
            default:
                continue
            }
        }
        let address: SocketAddress
        if let path {
            address = .unix(path: path)
        } else if let host {
            guard let port else {
                finding(.missingParameter, at: location, key: "port",
                        message: "\(what) has host=\(Excerpt.short(host)) but no port: QEMU refuses it",
                        hint: "add port=N",
                        claim: refused("chardev: socket: no port given"))
                return nil
            }
            address = .inet(host: host, port: port)
        } else {
            // A port alone is ignored: with neither path nor host QEMU makes an fd socket.
            address = .fd(fd ?? "")
        }
        // QEMU's checks when it opens the socket, in its order.
        if !server, wait != nil {
            finding(.invalidValue, at: location, key: "wait",
                    message: "\(what) is a client with wait=: QEMU refuses wait in client connect mode",
                    hint: "remove wait= (it only applies to server=on), or add server=on",
                    claim: refused("'wait' option is incompatible with socket in client connect mode"))
            return nil
        }
        if server, let reconnect {
            finding(.invalidValue, at: location, key: reconnect.key,
                    message: "\(what) is a server with \(reconnect.key): QEMU refuses it in server listen mode",
                    hint: "remove \(reconnect.key)= from the server; put it on the client",
                    claim: refused("'\(reconnect.key)' option is incompatible with socket in server listen mode"))
            return nil
        }
        let options = SocketChardevOptions(
            address: address,
            server: server,
            wait: wait ?? true,
            reconnectSeconds: reconnect?.key == "reconnect" ? reconnect?.value : nil,
            reconnectMilliseconds: reconnect?.key == "reconnect-ms" ? reconnect?.value : nil,
            options: Self.remaining(
                pairs.filter { QEMUParameterCatalog.socketChardevParameters(version).contains($0.key) },
                excluding: Self.modelledSocketKeys
            )
        )
        if case .fd(let descriptor) = address {
            guard checkDescriptor(descriptor, options: options, reconnect: reconnect?.key, port: port, at: location) else { return nil }
        }
        checkAddress(options, pairs: pairs, at: location)
        if let credentials = pairs.value(for: "tls-creds") {
            tlsReferences.append((credentials, location))
        }
        return options
    }

    /// A socket on an inherited descriptor. Without `fd=` (and without path and host) QEMU 7.2
    /// starts a server listening on nothing; a client fails to parse the missing number.
    private mutating func checkDescriptor(_ descriptor: String, options: SocketChardevOptions, reconnect: String?, port: String?, at location: ArgumentLocation) -> Bool {
        let what = "chardev socket"
        let ignoredPort = port.map { " (port=\(Excerpt.short($0)) alone is ignored: QEMU needs host= too)" } ?? ""
        if !options.server, let reconnect {
            finding(.invalidValue, at: location, key: reconnect,
                    message: "\(what) has no path and no host\(ignoredPort), so QEMU makes it an fd socket, where \(reconnect) is refused",
                    hint: "add host=H,port=P or path=/some/socket",
                    claim: refused("'\(reconnect)' option is incompatible with 'fd' address type"))
            return false
        }
        guard descriptor.isEmpty else { return true }
        if options.server {
            finding(.missingParameter, at: location, key: port == nil ? "host" : "host",
                    message: "\(what) server has no path and no host\(ignoredPort): QEMU starts it on an inherited descriptor that is never given, so nothing can connect",
                    hint: "add host=H,port=P or path=/some/socket",
                    claim: .started(version: version))
            return true
        }
        finding(.missingParameter, at: location, key: "host",
                message: "\(what) client has no path and no host\(ignoredPort): QEMU reads it as an fd socket without a descriptor and refuses it",
                hint: "add host=H,port=P or path=/some/socket",
                claim: refused("Unable to parse FD number"))
        return false
    }

    /// What QEMU finds when it resolves the address: a unix path longer than the socket address
    /// holds, a port or host getaddrinfo refuses. A server fails at start; so does a client
    /// without reconnect, while one with reconnect keeps retrying and never connects.
    private mutating func checkAddress(_ socket: SocketChardevOptions, pairs: [ParsedKeyValue], at location: ArgumentLocation) {
        let fails = socket.server || !socket.reconnects
        let outcome = fails ? "QEMU refuses it" : "the client retries for ever and never connects"
        func report(_ key: String, _ problem: String, hint: String, message: String, pattern: Bool = false) {
            finding(fails ? .invalidValue : .chardevUnpaired, at: location, key: key,
                    message: "chardev socket \(problem): \(outcome)",
                    hint: hint,
                    claim: fails ? (pattern ? refused(matching: message) : refused(message)) : .started(version: version))
        }
        switch socket.address {
        case .unix(let path):
            // sun_path holds 108 bytes; QEMU refuses more (a path of exactly 108 fits unterminated).
            if path.utf8.count > 108 {
                report("path", "path is \(path.utf8.count) bytes, more than a unix socket address holds (108)",
                       hint: "use a shorter path", message: "UNIX socket path '.*' is too long", pattern: true)
            }
        case .inet(let host, let port):
            if SocketAddress.portNumber(port) == nil {
                report("port", "port '\(Excerpt.short(port))' is neither a number nor a known service",
                       hint: "write a port number", message: "address resolution failed for \(host):\(port): Servname not supported for ai_socktype")
            } else if !socket.server, host.isEmpty {
                report("host", "client has an empty host", hint: "write host=127.0.0.1 (or the server's address)",
                       message: "address resolution failed for :\(port): Name or service not known")
            } else if host.hasSuffix(".invalid") {
                report("host", "host '\(Excerpt.short(host))' is in the reserved .invalid domain, which never resolves",
                       hint: "write the server's address", message: "address resolution failed for \(host):\(port)")
            } else if let family = Self.familyConflict(host: host, pairs: pairs) {
                report(family, "host '\(Excerpt.short(host))' is not an address of the family \(family)=on asks for",
                       hint: "drop \(family)=on", message: "Address family for hostname not supported")
            } else if socket.server, !host.isEmpty, !SocketAddress.resolvesWithoutDNS(host) {
                finding(.nonLoopbackAddress, at: location, key: "host",
                        message: "chardev socket server listens on the host name '\(Excerpt.short(host))': QEMU binds what it resolves to on its machine, and exits if it resolves to nothing there (address resolution failed) or to an address the machine does not have",
                        hint: "an address of the server's machine (or 0.0.0.0) does not depend on name resolution",
                        claim: QEMUClaim(.depends, .pattern("address resolution failed for|Cannot assign requested address"), version: version))
            } else if socket.server, SocketAddress.portNumber(port) == 0 {
                finding(.chardevUnpaired, at: location, key: "port",
                        message: "chardev socket server on port \(port.isEmpty ? "''" : port) listens on a port the kernel picks at random: no client can name it",
                        hint: "give a fixed port", claim: .started(version: version))
            }
        case .fd:
            break
        }
    }

    /// `ipv4=on` with an IPv6 literal, or `ipv6=on` with an IPv4 literal.
    private static func familyConflict(host: String, pairs: [ParsedKeyValue]) -> String? {
        let ipv4 = pairs.value(for: "ipv4").flatMap(ValueParsing.bool) ?? false
        let ipv6 = pairs.value(for: "ipv6").flatMap(ValueParsing.bool) ?? false
        if ipv4, !ipv6, SocketAddress.isIPv6Literal(host) { return "ipv4" }
        if ipv6, !ipv4, SocketAddress.isIPv4Literal(host) { return "ipv6" }
        return nil
    }

    /// The pairs not modelled explicitly, last value per key, in first-written order.
    static func remaining(_ pairs: [ParsedKeyValue], excluding excluded: [String]) -> [QEMUKeyValue] {
        var result: [QEMUKeyValue] = []
        var positions: [String: Int] = [:]
        for pair in pairs where !excluded.contains(pair.key) {
            if let existing = positions[pair.key] {
                result[existing].value = pair.value
            } else {
                positions[pair.key] = result.count
                result.append(QEMUKeyValue(pair.key, pair.value))
            }
        }
        return result
    }
}
