import Fabric
import Primary

extension HostImporter {
    mutating func readObject(_ value: String, at location: ArgumentLocation, next: QEMUArgument?) {
        guard let pairs = pairs(of: value, impliedKey: "qom-type", option: "object", acceptsJSON: true, at: location) else { return }
        guard let typeName = pairs.value(for: "qom-type") else {
            finding(.missingParameter, at: location, key: "qom-type",
                    message: "-object has no type: QEMU refuses it (parameter 'qom-type' is missing)",
                    hint: "start the value with the type, e.g. -object filter-mirror,id=m0,...",
                    claim: refused("Parameter 'qom-type' is missing"))
            return
        }
        guard checkObjectType(typeName, at: location) else { return }
        let allowed: [String]?
        if let kind = FilterKind(rawValue: typeName) {
            allowed = QEMUParameterCatalog.filterParameters(kind)
        } else if typeName == "colo-compare" {
            allowed = QEMUParameterCatalog.compareParameters
        } else if typeName == "iothread" {
            allowed = QEMUParameterCatalog.iothreadParameters
        } else {
            allowed = nil
        }
        let wording: UnknownKeyWording = value.hasPrefix("{") ? .unexpected : .invalidParameter
        if let allowed {
            checkKeys(pairs, allowed: allowed, what: typeName, wording: wording, at: location, next: next)
        } else {
            reportShortForms(pairs, allowed: nil, at: location)
        }
        let rawID = pairs.id
        guard let id = checkID(rawID, kind: .object, existing: rawID.map { objectIDs.contains($0) } ?? false, at: location) else {
            return
        }
        let known = pairs.filter { allowed?.contains($0.key) ?? true }
        let object: QEMUObjectConfiguration
        if let kind = FilterKind(rawValue: typeName) {
            object = .filter(readFilter(kind, id: id, pairs: known, at: location))
        } else if typeName == "colo-compare" {
            object = .coloCompare(readCompare(id: id, pairs: known, at: location))
        } else if typeName == "iothread" {
            for pair in known where pair.json != nil && !["qom-type", "id"].contains(pair.key) {
                if case .number = pair.json {} else { wrongJSONType(pair, expected: "integer", at: location) }
            }
            object = .iothread(IOThreadConfiguration(id: id, options: Self.remaining(known, excluding: ["qom-type", "id"])))
        } else {
            object = .other(OtherObjectConfiguration(typeName: typeName, id: id, options: Self.remaining(known, excluding: ["qom-type", "id"])))
        }
        configuration.objects.append(object)
        sources.objectLocations[id] = location
        objectIDs.insert(id)
    }

    /// A type `version` knows. Some types are in 7.2's schema but only in builds with an
    /// optional feature (Debian's lacks them): QEMU then says "invalid object type".
    private mutating func checkObjectType(_ typeName: String, at location: ArgumentLocation) -> Bool {
        let types = QEMUParameterCatalog.objectTypes(version)
        guard types.contains(typeName) else {
            let suggestion = ClosestName.suggestion(for: typeName, among: types)
            let newer = version == .v7_2 && QEMUParameterCatalog.isNewerObjectType(typeName)
            finding(.invalidValue, at: location, key: "qom-type",
                    message: typeName.isEmpty
                        ? "-object has an empty type: QEMU refuses it"
                        : "-object type '\(Excerpt.short(typeName))' does not exist in \(version)" + (newer ? " (newer QEMU has it)" : "") + ": QEMU refuses the value",
                    hint: suggestion.map { "did you mean \($0)?" } ?? "COLO uses filter-mirror, filter-redirector, filter-rewriter, colo-compare and iothread",
                    claim: refused("Parameter 'qom-type' does not accept value '\(typeName)'"))
            return false
        }
        if QEMUParameterCatalog.buildDependentObjectTypes.contains(typeName) {
            finding(.invalidValue, severity: .warning, at: location, key: "qom-type",
                    message: "-object \(typeName) needs an optional build feature: QEMU builds without it (Debian's 7.2 among them) refuse it as an invalid object type",
                    hint: "check qemu-system-x86_64 -object help on the host",
                    claim: version == .v7_2 ? refused("invalid object type: \(typeName)") : nil)
        }
        return true
    }

    private mutating func readFilter(_ kind: FilterKind, id: String, pairs: [ParsedKeyValue], at location: ArgumentLocation) -> FilterConfiguration {
        let what = "\(kind.typeName) '\(id)'"
        var filter = FilterConfiguration(kind: kind, id: id, netdev: nil)
        for pair in pairs where pair.key != "qom-type" && pair.key != "id" {
            switch pair.key {
            case "vnet_hdr_support":
                if let flag = bool(pair, what: what, at: location) { filter.vnetHeaderSupport = flag }
                continue
            case "maxlen", "interval":
                readFilterNumber(pair, into: &filter, what: what, at: location)
                continue
            default:
                break
            }
            guard let text = string(pair, at: location) else { continue }
            switch pair.key {
            case "netdev": filter.netdev = text
            case "queue":
                do {
                    filter.queue = try FilterQueue(parsing: text)
                } catch {
                    invalidChoice(pair, what: what, choices: ["all", "rx", "tx"], at: location,
                                  claim: refused("Parameter 'queue' does not accept value '\(text)'"))
                }
            case "status":
                do {
                    filter.status = try FilterStatus(parsing: text)
                } catch {
                    invalidChoice(pair, what: what, choices: ["on", "off"], at: location,
                                  claim: refused("Invalid value for netfilter status, should be 'on' or 'off'"))
                }
            case "insert":
                do {
                    filter.insert = try FilterInsert(parsing: text)
                } catch {
                    invalidChoice(pair, what: what, choices: ["before", "behind"], at: location,
                                  claim: refused("Parameter 'insert' does not accept value '\(text)'"))
                }
            case "position":
                // `id=` alone names the filter '', which QEMU then does not find (L015).
                guard let position = FilterPosition(parsing: text) else {
                    invalidChoice(pair, what: what, choices: ["head", "tail", "id=<filter-id>"], at: location,
                                  claim: refused("Parameter 'position' expects 'head', 'tail' or 'id=<id>'"))
                    continue
                }
                filter.position = position
            case "indev": filter.indev = text
            case "outdev": filter.outdev = text
            case "file": filter.file = text
            default: continue
            }
        }
        // A written interval that was refused has had its finding already.
        for key in filter.unsetRequiredProperties where !(key == "interval" && pairs.contains { $0.key == "interval" }) {
            missing(key, what: what, at: location, hint: Self.requiredPropertyHints[key, default: "add \(key)=..."])
        }
        return filter
    }

    /// filter-dump's maxlen and filter-buffer's interval: unsigned 32-bit, and positive.
    private mutating func readFilterNumber(_ pair: ParsedKeyValue, into filter: inout FilterConfiguration, what: String, at location: ArgumentLocation) {
        guard let number = unsigned(pair, what: what, limit: UInt64(UInt32.max), at: location) else { return }
        let value = UInt32(number)
        if pair.key == "maxlen" {
            do {
                try FilterDump.checkMaxLength(value)
            } catch {
                finding(.zeroValue, at: location, key: "maxlen",
                        message: "\(what) maxlen=0: QEMU refuses it, a dump must keep at least one byte per frame",
                        hint: "omit maxlen for the default 65536",
                        claim: refused("Property 'filter-dump.maxlen' doesn't take value '0'"))
                return
            }
            filter.maxlen = value
        } else {
            guard value > 0 else {
                finding(.zeroValue, at: location, key: "interval",
                        message: "\(what) interval=0: QEMU refuses it, the release period must be positive",
                        hint: "give the period in microseconds, e.g. interval=10000",
                        claim: refused("Property 'filter-buffer.interval' requires a positive value"))
                return
            }
            filter.interval = value
        }
    }

    private static let requiredPropertyHints = [
        "netdev": "add netdev=<the -netdev id>",
        "outdev": "add outdev=<chardev id> (M-2: the mirror needs a chardev to copy to)",
        "file": "add file=/path/to/capture.pcap",
        "interval": "add interval=<microseconds>",
    ]

    private mutating func readCompare(id: String, pairs: [ParsedKeyValue], at location: ArgumentLocation) -> COLOCompareConfiguration {
        let what = "colo-compare '\(id)'"
        var compare = COLOCompareConfiguration(id: id, primaryIn: nil, secondaryIn: nil, outdev: nil, iothread: nil)
        for pair in pairs where pair.key != "qom-type" && pair.key != "id" {
            switch pair.key {
            case "vnet_hdr_support":
                if let flag = bool(pair, what: what, at: location) { compare.vnetHeaderSupport = flag }
            case "compare_timeout":
                // A uint64 property whose setter refuses zero and anything past 32 bits.
                guard let value = unsigned(pair, what: what, at: location) else { continue }
                compare.compareTimeout = tunable(.compareTimeout, value, pair: pair, what: what, at: location)
            case "expired_scan_cycle", "max_queue_size":
                guard let value = unsigned(pair, what: what, limit: UInt64(UInt32.max), at: location) else { continue }
                let property: CompareRuntimeProperty = pair.key == "max_queue_size" ? .maxQueueSize : .expiredScanCycle
                let result = tunable(property, value, pair: pair, what: what, at: location)
                if pair.key == "max_queue_size" { compare.maxQueueSize = result } else { compare.expiredScanCycle = result }
            default:
                guard let text = string(pair, at: location) else { continue }
                switch pair.key {
                case "primary_in": compare.primaryIn = text
                case "secondary_in": compare.secondaryIn = text
                case "outdev": compare.outdev = text
                case "iothread": compare.iothread = text
                case "notify_dev": compare.notifyDev = text
                default: continue
                }
            }
        }
        let unset = compare.links.unsetRequiredProperties
        let absent = unset.filter { $0 != "iothread" }
        if let first = absent.first {
            finding(.missingParameter, at: location, key: first,
                    message: "\(what) lacks \(absent.joined(separator: ", ")): primary_in, secondary_in, outdev and iothread are all required (C-1)",
                    hint: "name the chardevs: primary_in=<from the primary's redirector>, secondary_in=<from the secondary>, outdev=<to the injecting redirector>",
                    claim: refused(matching: "Parameter '(\(absent.joined(separator: "|")))' is missing"))
        }
        if unset.contains("iothread") {
            finding(.compareWithoutIOThread, at: location, key: "iothread",
                    message: "\(what) has no iothread: QEMU refuses it while parsing (parameter 'iothread' is missing) (C-1, L-12)",
                    hint: "add -object iothread,id=iothread and iothread=iothread on the colo-compare",
                    claim: refused("Parameter 'iothread' is missing"))
        }
        return compare
    }

    /// A tunable through QEMU's setter. A refused value is reported: upstream QEMU prints the
    /// refusal, QEMU 7.2 hits an assertion while tearing the half-made compare down and aborts
    /// instead. A zero is kept as written; a number wider than 32 bits is dropped.
    private mutating func tunable(
        _ property: CompareRuntimeProperty, _ value: UInt64, pair: ParsedKeyValue, what: String, at location: ArgumentLocation
    ) -> UInt32? {
        let abort = QEMUClaim(.aborted, .exact(QEMUClaim.compareTeardownAbort), version: version)
        do {
            return try property.validated(value)
        } catch .requiresPositiveValue {
            finding(.zeroValue, at: location, key: pair.key,
                    message: "\(what) \(pair.key)=0: upstream QEMU refuses it (the property needs a positive value); QEMU 7.2 aborts with an assertion failure instead of printing that",
                    hint: "omit \(pair.key) for the default, or give a positive value",
                    claim: version == .v7_2 ? abort : refused("Property 'colo-compare.\(pair.key)' requires a positive value"))
            return 0
        } catch {
            finding(.invalidValue, at: location, key: pair.key,
                    message: "\(what) \(pair.key)=\(value) does not fit in 32 bits: QEMU refuses it (7.2 aborts with an assertion failure instead of printing that)",
                    hint: "use at most 4294967295 ms",
                    claim: version == .v7_2 ? abort : refused(matching: "colo-compare.\(pair.key)"))
            return nil
        }
    }

    private mutating func invalidChoice(_ pair: ParsedKeyValue, what: String, choices: [String], at location: ArgumentLocation, claim: QEMUClaim) {
        let listed = choices.dropLast().joined(separator: ", ") + " or " + (choices.last ?? "")
        let suggestion = ClosestName.suggestion(for: pair.value, among: choices)
        finding(.invalidValue, at: location, key: pair.key,
                message: "\(what) \(pair.key)='\(Excerpt.short(pair.value))' is refused: QEMU accepts \(listed)",
                hint: suggestion.map { "did you mean \(pair.key)=\($0)?" } ?? "write one of \(listed)",
                claim: claim)
    }

    private mutating func missing(_ key: String, what: String, at location: ArgumentLocation, hint: String) {
        finding(.missingParameter, at: location, key: key,
                message: "\(what) has no \(key): QEMU refuses it (parameter '\(key)' is missing)",
                hint: hint,
                claim: refused("Parameter '\(key)' is missing"))
    }
}
