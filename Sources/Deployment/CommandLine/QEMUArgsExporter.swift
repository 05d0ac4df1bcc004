import Fabric
import Primary

/// Writes the command lines that build a topology on one QEMU version: long-form booleans
/// (`server=on,wait=off`), every colo-compare with its iothread, one option per line, and a
/// client's reconnect period in the unit that version takes (7.2: `reconnect=` seconds;
/// upstream 10.2, which dropped `reconnect`: `reconnect-ms=`).
public enum QEMUArgsExporter {
    public static let programName = "qemu-system-x86_64"

    /// Both command lines, primary first, with comment lines saying the version and the start
    /// order. The text reads back with `ShellWords` (comments and continuations are understood).
    public static func export(_ topology: Topology, version: QEMUVersion = .default) -> String {
        """
        # Lockstep topology: two QEMU command lines for \(version).
        # Start order: the primary first (it hosts the socket servers), then the secondary (L-2).

        # primary
        \(commandLine(for: topology.primary, version: version))

        # secondary (start after the primary)
        \(commandLine(for: topology.secondary, version: version))
        """
    }

    /// One host's command line, one option per line joined by backslash-newline.
    public static func commandLine(for host: HostConfiguration, version: QEMUVersion = .default) -> String {
        ([programName] + arguments(for: host, version: version).map { "    " + $0 }).joined(separator: " \\\n")
    }

    /// One host's options as shell-quoted `-name value` strings, in QEMU creation order:
    /// passthrough options, netdevs, NICs, chardevs, objects.
    public static func arguments(for host: HostConfiguration, version: QEMUVersion = .default) -> [String] {
        var lines: [String] = []
        for option in host.otherOptions {
            lines.append(option.value.map { "-\(option.name) \(shellQuoted($0))" } ?? "-\(option.name)")
        }
        lines += host.netdevs.map { "-netdev " + shellQuoted(netdevValue($0)) }
        lines += host.nics.map { "-device " + shellQuoted(nicValue($0)) }
        lines += host.chardevs.map { "-chardev " + shellQuoted(chardevValue($0, version: version)) }
        lines += host.objects.map { "-object " + shellQuoted(objectValue($0)) }
        return lines
    }

    // MARK: Option values

    static func netdevValue(_ netdev: NetdevConfiguration) -> String {
        var pairs = [("id", netdev.id)]
        if netdev.kind == .tap {
            pairs.append(("vhost", ValueParsing.boolText(netdev.vhost)))
        }
        if let vnetHeader = netdev.vnetHeader { pairs.append(("vnet_hdr", ValueParsing.boolText(vnetHeader))) }
        if let queues = netdev.queues { pairs.append(("queues", String(queues))) }
        return list(head: netdev.kind.rawValue, pairs + netdev.options.map { ($0.key, $0.value) })
    }

    static func nicValue(_ nic: NICConfiguration) -> String {
        var pairs: [(String, String)] = []
        if let id = nic.id { pairs.append(("id", id)) }
        if let netdev = nic.netdev { pairs.append(("netdev", netdev)) }
        if let mac = nic.mac { pairs.append(("mac", mac)) }
        return list(head: nic.model, pairs + nic.options.map { ($0.key, $0.value) })
    }

    static func chardevValue(_ chardev: ChardevConfiguration, version: QEMUVersion = .default) -> String {
        switch chardev.backend {
        case .socket(let socket):
            var pairs = [("id", chardev.id)]
            switch socket.address {
            case .inet(let host, let port):
                if !host.isEmpty { pairs.append(("host", host)) }
                pairs.append(("port", port))
            case .unix(let path):
                pairs.append(("path", path))
            case .fd(let fd):
                pairs.append(("fd", fd))
            }
            if socket.server {
                pairs.append(("server", "on"))
                pairs.append(("wait", ValueParsing.boolText(socket.wait)))
            }
            if let reconnect = reconnectPair(socket, version: version) { pairs.append(reconnect) }
            return list(head: "socket", pairs + socket.options.map { ($0.key, $0.value) })
        case .other(let kind, let options):
            return list(head: kind, [("id", chardev.id)] + options.map { ($0.key, $0.value) })
        }
    }

    /// The reconnect period in the key `version` accepts. Milliseconds round up to whole
    /// seconds for 7.2 (a period under a second still retries); a negative period (QEMU's "no
    /// retry", stored wrapped) is kept as it is.
    private static func reconnectPair(_ socket: SocketChardevOptions, version: QEMUVersion) -> (String, String)? {
        switch (version, socket.reconnectSeconds, socket.reconnectMilliseconds) {
        case (.v7_2, let seconds?, _):
            return ("reconnect", String(seconds))
        case (.v7_2, nil, let milliseconds?):
            let seconds = Int64(bitPattern: milliseconds) <= 0 ? milliseconds : (milliseconds + 999) / 1000
            return ("reconnect", String(seconds))
        case (.upstream, _, let milliseconds?):
            return ("reconnect-ms", String(milliseconds))
        case (.upstream, let seconds?, nil):
            let milliseconds = Int64(bitPattern: seconds) <= 0 ? seconds : seconds.multipliedReportingOverflow(by: 1000).partialValue
            return ("reconnect-ms", String(milliseconds))
        case (_, nil, nil):
            return nil
        }
    }

    static func objectValue(_ object: QEMUObjectConfiguration) -> String {
        switch object {
        case .iothread(let thread):
            list(head: "iothread", [("id", thread.id)] + thread.options.map { ($0.key, $0.value) })
        case .filter(let filter):
            list(head: filter.kind.typeName, filterPairs(filter))
        case .coloCompare(let compare):
            list(head: "colo-compare", comparePairs(compare))
        case .other(let other):
            list(head: other.typeName, [("id", other.id)] + other.options.map { ($0.key, $0.value) })
        }
    }

    private static func filterPairs(_ filter: FilterConfiguration) -> [(String, String)] {
        var pairs = [("id", filter.id)]
        if let netdev = filter.netdev { pairs.append(("netdev", netdev)) }
        pairs.append(("queue", filter.queue.description))
        if filter.status != .on { pairs.append(("status", filter.status.description)) }
        if filter.position != .tail { pairs.append(("position", filter.position.description)) }
        if filter.insert != .behind { pairs.append(("insert", filter.insert.description)) }
        if let indev = filter.indev { pairs.append(("indev", indev)) }
        if let outdev = filter.outdev { pairs.append(("outdev", outdev)) }
        if filter.hasVnetHeaderProperty, filter.vnetHeaderSupport { pairs.append(("vnet_hdr_support", "on")) }
        if let file = filter.file { pairs.append(("file", file)) }
        if let maxlen = filter.maxlen { pairs.append(("maxlen", String(maxlen))) }
        if let interval = filter.interval { pairs.append(("interval", String(interval))) }
        return pairs
    }

    private static func comparePairs(_ compare: COLOCompareConfiguration) -> [(String, String)] {
        var pairs = [("id", compare.id)]
        let optional: [(String, String?)] = [
            ("primary_in", compare.primaryIn),
            ("secondary_in", compare.secondaryIn),
            ("outdev", compare.outdev),
            ("iothread", compare.iothread),
            ("notify_dev", compare.notifyDev),
            ("compare_timeout", compare.compareTimeout.map(String.init)),
            ("expired_scan_cycle", compare.expiredScanCycle.map(String.init)),
            ("max_queue_size", compare.maxQueueSize.map(String.init)),
        ]
        for (key, value) in optional {
            if let value { pairs.append((key, value)) }
        }
        if compare.vnetHeaderSupport { pairs.append(("vnet_hdr_support", "on")) }
        return pairs
    }

    private static func list(head: String, _ pairs: [(String, String)]) -> String {
        ([KeyValueList.escape(head)] + pairs.map { "\($0.0)=\(KeyValueList.escape($0.1))" }).joined(separator: ",")
    }

    /// Quotes a word for a POSIX shell only when it needs it.
    public static func shellQuoted(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || "-_=,.:/@%+".unicodeScalars.contains(scalar)
        }
        if safe, !word.isEmpty { return word }
        var quoted = "'"
        for character in word {
            quoted += character == "'" ? "'\\''" : String(character)
        }
        return quoted + "'"
    }
}
