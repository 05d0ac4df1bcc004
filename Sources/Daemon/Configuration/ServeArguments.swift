import Deployment

/// Reads the arguments of a standalone QEMU colo-compare (`qemu-system-x86_64 -M none ...`) into
/// a `ServeConfiguration`, with QEMU's own checks (the command-line importer of `lockstep lint`):
/// whatever QEMU refuses is refused here with QEMU's reasons, and what QEMU would accept but the
/// daemon does not do (a VM, netdevs, filters, other chardev backends) is named as unsupported.
public enum ServeArguments {
    /// `words` are the arguments as the shell passed them, with or without a leading program word;
    /// `version` is the QEMU whose option and key tables they are checked against.
    public static func parse(_ words: [String], version: QEMUVersion = .default) throws(ServeError) -> ServeConfiguration {
        let hostImport = QEMUArgsImporter.importHost(words: words.map { ShellWord($0, line: 1) }, role: .primary, version: version)
        let refusals = (hostImport.findings + QEMUValidation.findings(for: hostImport, version: version))
            .filter { $0.rule.isQEMURefusal && $0.severity == .error }
        guard refusals.isEmpty else { throw .rejected(refusals) }

        let host = hostImport.configuration
        if let netdev = host.netdevs.first {
            throw .unsupported(argument: "-netdev \(netdev.id)", reason: Self.standaloneOnly)
        }
        if let nic = host.nics.first {
            throw .unsupported(argument: "-device \(nic.model)", reason: Self.standaloneOnly)
        }

        var configuration = ServeConfiguration()
        // Chardevs keep their command-line position: -qmp creates one where it is written.
        var placed: [(index: Int, spec: ServeChardevSpec)] = []
        for chardev in host.chardevs {
            let index = hostImport.sources.chardev(chardev.id)?.index ?? 0
            placed.append((index, try socketSpec(chardev)))
        }
        var monitorCount = 0
        for argument in hostImport.commandLine.arguments {
            guard case .option(let name, let value) = argument.kind else { continue }
            switch name {
            case "chardev", "object":
                continue
            case "qmp", "qmp-pretty":
                let id = "compat_monitor\(monitorCount)"
                monitorCount += 1
                let spec = try MonitorOption.chardev(id: id, qmpValue: value ?? "", argument: argument.location.text)
                placed.append((argument.location.index, spec))
                configuration.monitors.append(id)
            case "mon":
                configuration.monitors.append(try MonitorOption.monitorChardev(monValue: value ?? "", argument: argument.location.text))
            case "pidfile":
                configuration.pidfile = value
            default:
                try tolerate(name: name, value: value, argument: argument.location.text)
                configuration.ignoredOptions.append(argument.location.text)
            }
        }
        configuration.chardevs = placed.sorted { $0.index < $1.index }.map(\.spec)
        for monitor in configuration.monitors where configuration.chardev(monitor) == nil {
            throw .unsupported(argument: "-mon chardev=\(monitor)", reason: "no socket chardev '\(monitor)'")
        }

        for object in host.objects {
            switch object {
            case .iothread(let iothread):
                configuration.iothreads.append(iothread.id)
            case .coloCompare(let compare):
                configuration.compares.append(try compareSpec(compare))
            case .filter(let filter):
                throw .unsupported(argument: "-object \(filter.kind.typeName),id=\(filter.id)", reason: Self.standaloneOnly)
            case .other(let other):
                throw .unsupported(argument: "-object \(other.typeName),id=\(other.id)", reason: Self.standaloneOnly)
            }
        }
        guard !configuration.compares.isEmpty else { throw .nothingToServe }
        return configuration
    }

    static let standaloneOnly =
        "lockstep serve runs standalone colo-compare objects only (no VM, netdevs or filters); use QEMU for this"

    // MARK: Chardevs

    private static func socketSpec(_ chardev: ChardevConfiguration) throws(ServeError) -> ServeChardevSpec {
        let argument = "-chardev \(chardev.backend.kindName),id=\(chardev.id)"
        guard let socket = chardev.socket else {
            throw .unsupported(argument: argument, reason: "only socket chardevs are served (colo-compare needs sockets, C-1)")
        }
        let address: ServeSocketAddress
        switch socket.address {
        case .unix(let path): address = .unix(path: path)
        case .inet(let host, let port): address = .inet(host: host, port: port)
        case .fd: throw .unsupported(argument: argument, reason: "fd= (an inherited descriptor) is not supported")
        }
        var noDelay = false
        for option in socket.options {
            switch (option.key, ValueParsing.bool(option.value)) {
            case ("nodelay", let flag?): noDelay = flag
            case ("delay", let flag?): noDelay = !flag
            case ("mux", false?), ("tight", _), ("logappend", _):
                continue
            case ("telnet", false?), ("tn3270", false?), ("websocket", false?), ("abstract", false?):
                continue
            default:
                throw .unsupported(argument: argument, reason: "socket option \(option.key)=\(option.value) is not supported")
            }
        }
        let reconnectMs = socket.reconnectMilliseconds ?? socket.reconnectSeconds.map { $0.multipliedReportingOverflow(by: 1000).partialValue }
        return ServeChardevSpec(id: chardev.id, address: address, server: socket.server, wait: socket.wait,
                                reconnectMs: reconnectMs, noDelay: noDelay)
    }

    // MARK: Options outside the compare

    private static let ignoredFlags: Set<String> = [
        "nodefaults", "no-user-config", "nographic", "S", "no-shutdown", "no-reboot", "enable-kvm",
    ]
    private static let ignoredWithAnyValue: Set<String> = [
        "name", "msg", "accel", "m", "smp", "trace", "d", "D", "L", "sandbox", "overcommit",
    ]
    private static let noneOnly: Set<String> = ["display", "monitor", "serial", "parallel", "vga"]

    private static func tolerate(name: String, value: String?, argument: String) throws(ServeError) {
        if ignoredFlags.contains(name) && value == nil { return }
        if ignoredWithAnyValue.contains(name) { return }
        if noneOnly.contains(name) {
            guard value == "none" else {
                throw .unsupported(argument: argument, reason: "lockstep serve has no \(name); only -\(name) none is accepted")
            }
            return
        }
        if name == "M" || name == "machine" {
            let type = value.flatMap { text -> String? in
                guard case .success(let pairs) = KeyValueList.parse(text, impliedKey: "type") else { return nil }
                return pairs.last { $0.key == "type" }?.value
            }
            guard type == "none" else {
                throw .unsupported(argument: argument, reason: "lockstep serve runs no machine; use -M none")
            }
            return
        }
        throw .unsupported(argument: argument, reason: "not supported by lockstep serve (a standalone colo-compare)")
    }

    // MARK: colo-compare

    private static func compareSpec(_ compare: Deployment.COLOCompareConfiguration) throws(ServeError) -> ServeCompareSpec {
        do {
            return ServeCompareSpec(id: compare.id, properties: try compare.properties())
        } catch {
            throw .compareSetup(compare: compare.id, detail: error.description)
        }
    }
}
