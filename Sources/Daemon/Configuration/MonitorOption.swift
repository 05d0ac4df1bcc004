import Deployment

/// `-qmp` and `-mon`: the QMP monitor the daemon offers so that tools driving QEMU's standalone
/// compare (and the differential harness) can ask the same questions.
enum MonitorOption {
    /// `-qmp unix:PATH,server=on,wait=off` or `-qmp tcp:HOST:PORT,server,nowait` (QEMU's legacy
    /// chardev syntax): a socket chardev named `id`.
    static func chardev(id: String, qmpValue: String, argument: String) throws(ServeError) -> ServeChardevSpec {
        guard case .success(let pairs) = KeyValueList.parse(qmpValue, impliedKey: "address"),
              let target = pairs.first(where: { $0.key == "address" })?.value else {
            throw .unsupported(argument: argument, reason: "cannot read the monitor address")
        }
        let address: ServeSocketAddress
        if target.hasPrefix("unix:") {
            address = .unix(path: String(target.dropFirst(5)))
        } else if target.hasPrefix("tcp:") {
            let rest = target.dropFirst(4)
            guard let colon = rest.lastIndex(of: ":") else {
                throw .unsupported(argument: argument, reason: "tcp: needs HOST:PORT")
            }
            var host = String(rest[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            address = .inet(host: host, port: String(rest[rest.index(after: colon)...]))
        } else {
            throw .unsupported(argument: argument, reason: "only unix: and tcp: monitors are served")
        }
        var server = false
        var wait = true
        for pair in pairs where pair.key != "address" {
            switch (pair.key, ValueParsing.bool(pair.value)) {
            case ("server", let flag?): server = flag
            case ("wait", let flag?): wait = flag
            case ("nodelay", _), ("pretty", _): continue
            default: throw .unsupported(argument: argument, reason: "monitor option \(pair.written) is not supported")
            }
        }
        guard server else {
            throw .unsupported(argument: argument, reason: "a monitor that connects out is not supported; add server=on")
        }
        return ServeChardevSpec(id: id, address: address, server: true, wait: wait)
    }

    /// `-mon chardev=ID,mode=control`: QMP on an existing chardev; returns its id.
    static func monitorChardev(monValue: String, argument: String) throws(ServeError) -> String {
        guard case .success(let pairs) = KeyValueList.parse(monValue, impliedKey: "chardev"),
              let chardev = pairs.last(where: { $0.key == "chardev" })?.value else {
            throw .unsupported(argument: argument, reason: "-mon needs chardev=ID")
        }
        let mode = pairs.last { $0.key == "mode" }?.value ?? "readline"
        guard mode == "control" else {
            throw .unsupported(argument: argument, reason: "only mode=control (QMP) monitors are served")
        }
        for pair in pairs where !["chardev", "mode", "pretty", "id"].contains(pair.key) {
            throw .unsupported(argument: argument, reason: "monitor option \(pair.written) is not supported")
        }
        return chardev
    }
}
