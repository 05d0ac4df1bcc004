extension HostImporter {
    mutating func readNetdev(_ value: String, at location: ArgumentLocation, next: QEMUArgument?) {
        guard let pairs = pairs(of: value, impliedKey: "type", option: "netdev", at: location) else { return }
        guard let typeName = pairs.value(for: "type") else {
            finding(.missingParameter, at: location, key: "type",
                    message: "-netdev has no backend type: QEMU refuses it (parameter 'type' is missing)",
                    hint: "start the value with the type, e.g. -netdev tap,id=hn0")
            return
        }
        let kind = NetdevKind(rawValue: typeName)
        guard kind.isKnown else {
            let suggestion = ClosestName.suggestion(for: typeName, among: NetdevKind.known.map(\.rawValue))
            finding(.invalidValue, at: location, key: "type",
                    message: "-netdev type '\(typeName)' does not exist: QEMU refuses the value",
                    hint: suggestion.map { "did you mean \($0)?" } ?? "use one of: \(NetdevKind.known.map(\.rawValue).joined(separator: ", "))")
            return
        }
        let what = "netdev \(typeName)"
        if let allowed = QEMUParameterCatalog.netdevParameters(kind) {
            checkKeys(pairs, allowed: allowed, what: what, at: location, next: next)
        } else {
            checkKeys(pairs, allowed: ["type", "id"], what: what, at: location, next: next) {
                QEMUParameterCatalog.netdevAcceptsDotted(kind, key: $0)
            }
        }
        let rawID = pairs.value(for: "id")
        guard let id = checkID(rawID, kind: "netdev", existing: rawID.flatMap { configuration.netdev($0) } != nil, at: location) else {
            return
        }
        var netdev = NetdevConfiguration(id: id, kind: kind)
        let allowed = QEMUParameterCatalog.netdevParameters(kind)
        for pair in pairs where pair.key != "type" && pair.key != "id" {
            let known = allowed?.contains(pair.key) ?? QEMUParameterCatalog.netdevAcceptsDotted(kind, key: pair.key)
            guard known else { continue }
            switch (kind, pair.key) {
            case (.tap, "vhost"):
                if let flag = bool(pair, what: what, at: location) { netdev.vhost = flag }
            case (.tap, "vnet_hdr"):
                if let flag = bool(pair, what: what, at: location) { netdev.vnetHeader = flag }
            case (.tap, "queues"):
                guard let queues = Int(pair.value), queues >= 1 else {
                    finding(.invalidValue, at: location, key: "queues",
                            message: "\(what) queues='\(pair.value)' is not a positive number",
                            hint: "write queues=1 (filters need a single-queue backend)")
                    continue
                }
                netdev.queues = queues
            default:
                netdev.options.removeAll { $0.key == pair.key }
                netdev.options.append(QEMUKeyValue(pair.key, pair.value))
            }
        }
        configuration.netdevs.append(netdev)
        sources.netdevLocations[id] = location
    }
}

extension Array where Element == ParsedKeyValue {
    /// The last value given for `key`: QEMU keeps the last of repeated keys.
    func value(for key: String) -> String? {
        last(where: { $0.key == key })?.value
    }
}
