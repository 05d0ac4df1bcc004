import Fabric
import Primary

extension HostImporter {
    mutating func readObject(_ value: String, at location: ArgumentLocation, next: QEMUArgument?) {
        guard let pairs = pairs(of: value, impliedKey: "qom-type", option: "object", at: location) else { return }
        guard let typeName = pairs.value(for: "qom-type") else {
            finding(.missingParameter, at: location, key: "qom-type",
                    message: "-object has no type: QEMU refuses it (parameter 'qom-type' is missing)",
                    hint: "start the value with the type, e.g. -object filter-mirror,id=m0,...")
            return
        }
        guard QEMUParameterCatalog.objectTypes.contains(typeName) else {
            let suggestion = ClosestName.suggestion(for: typeName, among: QEMUParameterCatalog.objectTypes)
            finding(.invalidValue, at: location, key: "qom-type",
                    message: typeName.isEmpty
                        ? "-object has an empty type: QEMU refuses it"
                        : "-object type '\(typeName)' does not exist: QEMU refuses the value",
                    hint: suggestion.map { "did you mean \($0)?" } ?? "COLO uses filter-mirror, filter-redirector, filter-rewriter, colo-compare and iothread")
            return
        }
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
        if let allowed {
            checkKeys(pairs, allowed: allowed, what: typeName, at: location, next: next)
        } else {
            reportShortForms(pairs, allowed: nil, at: location)
        }
        let rawID = pairs.value(for: "id")
        guard let id = checkID(rawID, kind: "object", existing: rawID.flatMap { configuration.object($0) } != nil, at: location) else {
            return
        }
        let known = pairs.filter { allowed?.contains($0.key) ?? true }
        let object: QEMUObjectConfiguration
        if let kind = FilterKind(rawValue: typeName) {
            object = .filter(readFilter(kind, id: id, pairs: known, at: location))
        } else if typeName == "colo-compare" {
            object = .coloCompare(readCompare(id: id, pairs: known, at: location))
        } else if typeName == "iothread" {
            object = .iothread(IOThreadConfiguration(id: id, options: Self.remaining(known, excluding: ["qom-type", "id"])))
        } else {
            object = .other(OtherObjectConfiguration(typeName: typeName, id: id, options: Self.remaining(known, excluding: ["qom-type", "id"])))
        }
        configuration.objects.append(object)
        sources.objectLocations[id] = location
    }

    private mutating func readFilter(_ kind: FilterKind, id: String, pairs: [ParsedKeyValue], at location: ArgumentLocation) -> FilterConfiguration {
        let what = "\(kind.typeName) '\(id)'"
        var filter = FilterConfiguration(kind: kind, id: id, netdev: nil)
        for pair in pairs {
            switch pair.key {
            case "netdev": filter.netdev = pair.value
            case "queue":
                do {
                    filter.queue = try FilterQueue(parsing: pair.value)
                } catch {
                    invalidChoice(pair, what: what, choices: ["all", "rx", "tx"], at: location)
                }
            case "status":
                do {
                    filter.status = try FilterStatus(parsing: pair.value)
                } catch {
                    invalidChoice(pair, what: what, choices: ["on", "off"], at: location)
                }
            case "insert":
                do {
                    filter.insert = try FilterInsert(parsing: pair.value)
                } catch {
                    invalidChoice(pair, what: what, choices: ["before", "behind"], at: location)
                }
            case "position":
                // QEMU reads a bare `id=` as the filter '' and reports it not found; naming the
                // accepted forms says more.
                guard let position = FilterPosition(parsing: pair.value), position != .filter("") else {
                    invalidChoice(pair, what: what, choices: ["head", "tail", "id=<filter-id>"], at: location)
                    continue
                }
                filter.position = position
            case "indev": filter.indev = pair.value
            case "outdev": filter.outdev = pair.value
            case "vnet_hdr_support":
                if let flag = bool(pair, what: what, at: location) { filter.vnetHeaderSupport = flag }
            case "file": filter.file = pair.value
            case "maxlen":
                guard let maxlen = uint32(pair, what: what, at: location) else { continue }
                do {
                    try FilterDump.checkMaxLength(maxlen)
                } catch {
                    finding(.zeroValue, at: location, key: "maxlen",
                            message: "\(what) maxlen=0: QEMU refuses it, a dump must keep at least one byte per frame",
                            hint: "omit maxlen for the default 65536")
                    continue
                }
                filter.maxlen = maxlen
            case "interval":
                guard let interval = uint32(pair, what: what, at: location) else { continue }
                if interval == 0 {
                    finding(.zeroValue, at: location, key: "interval",
                            message: "\(what) interval=0: QEMU refuses it, the release period must be positive",
                            hint: "give the period in microseconds, e.g. interval=10000")
                    continue
                }
                filter.interval = interval
            default:
                continue
            }
        }
        // A written interval that was refused has had its finding already.
        for key in filter.unsetRequiredProperties where !(key == "interval" && pairs.contains { $0.key == "interval" }) {
            missing(key, what: what, at: location, hint: Self.requiredPropertyHints[key, default: "add \(key)=..."])
        }
        return filter
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
        for pair in pairs {
            switch pair.key {
            case "primary_in": compare.primaryIn = pair.value
            case "secondary_in": compare.secondaryIn = pair.value
            case "outdev": compare.outdev = pair.value
            case "iothread": compare.iothread = pair.value
            case "notify_dev": compare.notifyDev = pair.value
            case "compare_timeout":
                // Advertised as uint64, so a wider number gets the setter's own refusal.
                guard let value = ValueParsing.uint64(pair.value) else {
                    _ = uint32(pair, what: what, at: location)
                    continue
                }
                compare.compareTimeout = tunable(.compareTimeout, value, pair: pair, what: what, at: location)
            case "expired_scan_cycle":
                guard let value = uint32(pair, what: what, at: location) else { continue }
                compare.expiredScanCycle = tunable(.expiredScanCycle, UInt64(value), pair: pair, what: what, at: location)
            case "max_queue_size":
                guard let value = uint32(pair, what: what, at: location) else { continue }
                compare.maxQueueSize = tunable(.maxQueueSize, UInt64(value), pair: pair, what: what, at: location)
            case "vnet_hdr_support":
                if let flag = bool(pair, what: what, at: location) { compare.vnetHeaderSupport = flag }
            default:
                continue
            }
        }
        let unset = compare.links.unsetRequiredProperties
        let absent = unset.filter { $0 != "iothread" }
        if !absent.isEmpty {
            finding(.missingParameter, at: location, key: absent.first,
                    message: "\(what) lacks \(absent.joined(separator: ", ")): primary_in, secondary_in, outdev and iothread are all required (C-1)",
                    hint: "name the chardevs: primary_in=<from the primary's redirector>, secondary_in=<from the secondary>, outdev=<to the injecting redirector>")
        }
        if unset.contains("iothread") {
            finding(.compareWithoutIOThread, at: location, key: "iothread",
                    message: "\(what) has no iothread: QEMU 7.2 refuses it while parsing (parameter 'iothread' is missing), upstream at completion (C-1, L-12)",
                    hint: "add -object iothread,id=iothread and iothread=iothread on the colo-compare")
        }
        return compare
    }

    /// A tunable through QEMU's setter. A refused value is reported: upstream QEMU prints the
    /// refusal, QEMU 7.2 hits an assertion while tearing the half-made compare down and aborts
    /// instead. A zero is kept as written; a number wider than 32 bits is dropped.
    private mutating func tunable(
        _ property: CompareRuntimeProperty, _ value: UInt64, pair: ParsedKeyValue, what: String, at location: ArgumentLocation
    ) -> UInt32? {
        do {
            return try property.validated(value)
        } catch .requiresPositiveValue {
            finding(.zeroValue, at: location, key: pair.key,
                    message: "\(what) \(pair.key)=0: upstream QEMU refuses it (the property needs a positive value); QEMU 7.2 aborts with an assertion failure instead of printing that",
                    hint: "omit \(pair.key) for the default, or give a positive value")
            return 0
        } catch {
            finding(.invalidValue, at: location, key: pair.key,
                    message: "\(what) \(pair.key)=\(value) does not fit in 32 bits: QEMU refuses it (7.2 aborts with an assertion failure instead of printing that)",
                    hint: "use at most 4294967295 ms")
            return nil
        }
    }

    private mutating func invalidChoice(_ pair: ParsedKeyValue, what: String, choices: [String], at location: ArgumentLocation) {
        let listed = choices.dropLast().joined(separator: ", ") + " or " + (choices.last ?? "")
        let suggestion = ClosestName.suggestion(for: pair.value, among: choices)
        finding(.invalidValue, at: location, key: pair.key,
                message: "\(what) \(pair.key)='\(pair.value)' is refused: QEMU accepts \(listed)",
                hint: suggestion.map { "did you mean \(pair.key)=\($0)?" } ?? "write one of \(listed)")
    }

    private mutating func missing(_ key: String, what: String, at location: ArgumentLocation, hint: String) {
        finding(.missingParameter, at: location, key: key,
                message: "\(what) has no \(key): QEMU refuses it (parameter '\(key)' is missing)",
                hint: hint)
    }
}
