extension HostImporter {
    mutating func readNetdev(_ value: String, at location: ArgumentLocation, next: QEMUArgument?) {
        guard let pairs = pairs(of: value, impliedKey: "type", option: "netdev", acceptsJSON: true, at: location) else { return }
        let isJSON = value.hasPrefix("{")
        guard let typeName = pairs.value(for: "type") else {
            finding(.missingParameter, at: location, key: "type",
                    message: "-netdev has no backend type: QEMU refuses it (parameter 'type' is missing)",
                    hint: "start the value with the type, e.g. -netdev tap,id=hn0",
                    claim: refused("Parameter 'type' is missing"))
            return
        }
        let kind = NetdevKind(rawValue: typeName)
        let kinds = QEMUParameterCatalog.netdevKinds(version)
        guard kinds.contains(kind) else {
            let names = kinds.map(\.rawValue)
            let newer = QEMUParameterCatalog.netdevKinds(.upstream).contains(kind) && version == .v7_2
            finding(.invalidValue, at: location, key: "type",
                    message: "-netdev type '\(Excerpt.short(typeName))' does not exist in \(version)" + (newer ? " (upstream has it)" : "") + ": QEMU refuses the value",
                    hint: ClosestName.suggestion(for: typeName, among: names).map { "did you mean \($0)?" } ?? "use one of: \(names.joined(separator: ", "))",
                    claim: refused("Parameter 'type' does not accept value '\(typeName)'"))
            return
        }
        let what = "netdev \(typeName)"
        // stream and dgram, and every JSON netdev, go through QAPI's visitor; the others through
        // QemuOpts. The two word an unknown key differently.
        let wording: UnknownKeyWording = isJSON || QEMUParameterCatalog.netdevIsModern(kind) ? .unexpected : .invalidParameter
        let allowed = QEMUParameterCatalog.netdevParameters(kind)
        if let allowed {
            checkKeys(pairs, allowed: allowed, what: what, wording: wording, at: location, next: next)
        } else {
            let version = self.version
            checkKeys(pairs, allowed: ["type", "id"], what: what, wording: wording, at: location, next: next) {
                QEMUParameterCatalog.netdevAcceptsDotted(kind, key: $0, version: version)
            }
        }
        let rawID = pairs.id
        guard let id = checkID(rawID, kind: .netdev, existing: rawID.map { netdevIDs.contains($0) } ?? false, at: location) else {
            return
        }
        var netdev = NetdevConfiguration(id: id, kind: kind)
        for pair in pairs where pair.key != "type" && pair.key != "id" {
            let known = allowed?.contains(pair.key) ?? QEMUParameterCatalog.netdevAcceptsDotted(kind, key: pair.key, version: version)
            guard known else { continue }
            switch (kind, pair.key) {
            case (.tap, "vhost"):
                if let flag = bool(pair, what: what, at: location) { netdev.vhost = flag }
            case (.tap, "vnet_hdr"):
                if let flag = bool(pair, what: what, at: location) { netdev.vnetHeader = flag }
            case (.tap, "vhostforce"), (.stream, "server"):
                _ = bool(pair, what: what, at: location)
            case (.tap, "queues"):
                guard let queues = unsigned(pair, what: what, limit: UInt64(UInt32.max), at: location) else { continue }
                guard queues >= 1 else {
                    // 7.2 creates no net client for zero queues and then asserts it has one.
                    finding(.invalidValue, at: location, key: "queues",
                            message: "\(what) queues=0: QEMU 7.2 creates no queue and aborts with an assertion failure",
                            hint: "write queues=1 (filters need a single-queue backend)",
                            claim: version == .v7_2 ? QEMUClaim(.aborted, .exact("Assertion `nc' failed."), version: version) : nil)
                    continue
                }
                netdev.queues = Int(queues)
            case (.tap, "sndbuf"), (.tap, "poll-us"):
                guard unsigned(pair, what: what, at: location) != nil else { continue }
                keep(pair, in: &netdev)
            case (.hubport, "hubid"):
                guard signed(pair, at: location) != nil else { continue }
                keep(pair, in: &netdev)
            default:
                guard string(pair, at: location) != nil else { continue }
                keep(pair, in: &netdev)
            }
        }
        checkNetdevRequirements(netdev, at: location)
        configuration.netdevs.append(netdev)
        sources.netdevLocations[id] = location
        netdevIDs.insert(id)
    }

    private func keep(_ pair: ParsedKeyValue, in netdev: inout NetdevConfiguration) {
        netdev.options.removeAll { $0.key == pair.key }
        netdev.options.append(QEMUKeyValue(pair.key, pair.value))
    }

    /// A signed integer (`hubid`): in JSON it must be a number.
    private mutating func signed(_ pair: ParsedKeyValue, at location: ArgumentLocation) -> Int64? {
        if let json = pair.json {
            guard case .number(let text) = json, let number = Int64(text) else {
                wrongJSONType(pair, expected: "integer", at: location)
                return nil
            }
            return number
        }
        guard let number = Int64(pair.value) ?? ValueParsing.qemuUnsigned(pair.value).map({ Int64(bitPattern: $0) }) else {
            finding(.invalidValue, at: location, key: pair.key,
                    message: "\(pair.key)='\(Excerpt.short(pair.value))' is not a number",
                    hint: "write \(pair.key)=0",
                    claim: refused(matching: "Parameter '\(pair.key)' expects"))
            return nil
        }
        return number
    }

    /// Parameters a backend type cannot do without, and the tap `fd=` exclusions.
    private mutating func checkNetdevRequirements(_ netdev: NetdevConfiguration, at location: ArgumentLocation) {
        let what = "netdev \(netdev.kind.rawValue) '\(netdev.id)'"
        let required: [String] = switch netdev.kind {
        case .vhostUser: ["chardev"]
        case .hubport: ["hubid"]
        default: []
        }
        for key in required where netdev.options.value(for: key) == nil {
            finding(.missingParameter, at: location, key: key,
                    message: "\(what) has no \(key): QEMU refuses it (parameter '\(key)' is missing)",
                    hint: "add \(key)=...",
                    claim: refused("Parameter '\(key)' is missing"))
        }
        if netdev.kind == .tap, netdev.options.value(for: "fd") != nil {
            let excluded = ["ifname", "script", "downscript", "helper", "fds", "vhostfds"]
            let given = excluded.filter { netdev.options.value(for: $0) != nil }
                + (netdev.vnetHeader != nil ? ["vnet_hdr"] : []) + (netdev.queues != nil ? ["queues"] : [])
            if let first = given.first {
                finding(.invalidValue, at: location, key: first,
                        message: "\(what) has fd= together with \(given.joined(separator: ", ")): QEMU refuses them with an inherited descriptor",
                        hint: "drop \(given.joined(separator: ", ")) or fd=",
                        claim: refused("ifname=, script=, downscript=, vnet_hdr=, helper=, queues=, fds=, and vhostfds= are invalid with fd="))
            }
        }
    }
}

extension Array where Element == ParsedKeyValue {
    /// The last value given for `key`: QEMU keeps the last of repeated keys.
    func value(for key: String) -> String? {
        last(where: { $0.key == key })?.value
    }

    /// The id, which QEMU takes from the first `id=` when several are written (every other
    /// key keeps its last value).
    var id: String? {
        first(where: { $0.key == "id" })?.value
    }
}
