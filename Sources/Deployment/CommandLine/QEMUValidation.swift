import Fabric
import Primary

/// The checks QEMU makes when it creates the netdevs, NICs, filters and compares of one command
/// line (F-1, M-2, R-2, C-1), as findings. QEMU stops at the first; this reports them all.
public enum QEMUValidation {
    public static func findings(for hostImport: HostImport, version: QEMUVersion = .default) -> [LintFinding] {
        check(host: hostImport.configuration, role: hostImport.role, sources: hostImport.sources, version: version).findings
    }

    /// Checks a configuration built without command lines (a scenario, a test): the parse-time
    /// checks on required and zero values run too, since no importer made them.
    public static func findings(host: HostConfiguration, role: HostRole, version: QEMUVersion = .default) -> [LintFinding] {
        check(host: host, role: role, sources: HostSourceMap(), includeParseChecks: true, version: version).findings
    }

    /// The findings and the ids of the objects QEMU would refuse to create.
    static func check(
        host: HostConfiguration,
        role: HostRole,
        sources: HostSourceMap,
        includeParseChecks: Bool = false,
        version: QEMUVersion = .default
    ) -> (findings: [LintFinding], refusedObjects: [String]) {
        var checker = Checker(host: host, role: role, sources: sources, version: version)
        if includeParseChecks {
            checker.checkRequiredProperties()
        }
        checker.checkNICs()
        checker.checkObjects()
        return (checker.findings, checker.refused)
    }

    private struct Checker {
        let host: HostConfiguration
        let role: HostRole
        let sources: HostSourceMap
        let version: QEMUVersion
        let chains: FilterChains
        let index: HostIndex
        var findings: [LintFinding] = []
        /// Objects with a finding, in creation order.
        var refused: [String] = []
        private var refusedSet: Set<String> = []
        /// Chardevs already taken by a frontend, with their first owner.
        var attached: [String: ChardevFrontendRole] = [:]

        init(host: HostConfiguration, role: HostRole, sources: HostSourceMap, version: QEMUVersion) {
            self.host = host
            self.role = role
            self.sources = sources
            self.version = version
            chains = host.filterChains
            index = HostIndex(host)
        }

        mutating func add(_ rule: LintRule, object id: String, key: String?, message: String, hint: String?, claim: QEMUClaim?) {
            if refusedSet.insert(id).inserted { refused.append(id) }
            findings.append(LintFinding(rule, host: role, argument: sources.object(id), key: key, message: message, hint: hint, claim: claim))
        }

        func refused(_ message: String) -> QEMUClaim {
            .refused(message, version: version)
        }

        /// colo-compare's completion errors: printed by upstream, but 7.2 aborts while tearing
        /// the half-made compare down, before the message reaches the screen.
        /// `message` is upstream's text when known (nil: refused, words not checked).
        func compareFailure(_ message: String?) -> QEMUClaim {
            version == .v7_2
                ? QEMUClaim(.aborted, .exact(QEMUClaim.compareTeardownAbort), version: version)
                : QEMUClaim(.refused, message.map { .exact($0) }, version: version)
        }

        /// What the importer reports while parsing: required properties and zero values.
        mutating func checkRequiredProperties() {
            for object in host.objects {
                switch object {
                case .filter(let filter):
                    let what = "\(filter.kind.typeName) '\(filter.id)'"
                    for key in filter.unsetRequiredProperties {
                        add(.missingParameter, object: filter.id, key: key,
                            message: "\(what) has no \(key): QEMU refuses it (parameter '\(key)' is missing)", hint: "set \(key)",
                            claim: refused("Parameter '\(key)' is missing"))
                    }
                    if filter.interval == 0 {
                        add(.zeroValue, object: filter.id, key: "interval",
                            message: "\(what) interval=0: QEMU refuses it, the value must be positive", hint: "omit interval or give a positive value",
                            claim: refused("Property 'filter-buffer.interval' requires a positive value"))
                    }
                    if let maxlen = filter.maxlen, (try? FilterDump.checkMaxLength(maxlen)) == nil {
                        add(.zeroValue, object: filter.id, key: "maxlen",
                            message: "\(what) maxlen=0: QEMU refuses it, the value must be positive", hint: "omit maxlen or give a positive value",
                            claim: refused("Property 'filter-dump.maxlen' doesn't take value '0'"))
                    }
                case .coloCompare(let compare):
                    let what = "colo-compare '\(compare.id)'"
                    let unset = compare.links.unsetRequiredProperties
                    let absent = unset.filter { $0 != "iothread" }
                    if !absent.isEmpty {
                        add(.missingParameter, object: compare.id, key: absent.first,
                            message: "\(what) lacks \(absent.joined(separator: ", ")): primary_in, secondary_in, outdev and iothread are all required (C-1)",
                            hint: "name the three chardevs",
                            claim: QEMUClaim(.refused, .pattern("Parameter '(\(absent.joined(separator: "|")))' is missing"), version: version))
                    }
                    if unset.contains("iothread") {
                        add(.compareWithoutIOThread, object: compare.id, key: "iothread",
                            message: "\(what) has no iothread: QEMU refuses it while parsing (parameter 'iothread' is missing) (C-1, L-12)",
                            hint: "add -object iothread,id=iothread and iothread=iothread on the colo-compare",
                            claim: refused("Parameter 'iothread' is missing"))
                    }
                    // A 32-bit value can only be refused for being 0.
                    for (property, value) in compare.tunables {
                        guard let value, (try? property.validated(UInt64(value))) == nil else { continue }
                        let key = property.rawValue
                        add(.zeroValue, object: compare.id, key: key,
                            message: "\(what) \(key)=0: upstream QEMU refuses it (the property needs a positive value); QEMU 7.2 aborts with an assertion failure instead of printing that",
                            hint: "omit \(key) for the default, or give a positive value",
                            claim: compareFailure("Property 'colo-compare.\(key)' requires a positive value"))
                    }
                case .iothread, .other:
                    continue
                }
            }
        }

        /// Each NIC's `netdev=`: it must exist and have no other NIC (a netdev has one peer).
        mutating func checkNICs() {
            var taken: [String: String] = [:]
            for (position, nic) in host.nics.enumerated() {
                guard let netdev = nic.netdev else { continue }
                guard index.netdev(netdev) != nil else {
                    findings.append(LintFinding(
                        .netdevNotFound, host: role, argument: sources.nic(at: position), key: "netdev",
                        message: "\(nic.model) names netdev '\(Excerpt.short(netdev))', which no -netdev defines: QEMU cannot find the value",
                        hint: "define -netdev TYPE,id=\(Excerpt.short(netdev)) or correct the name",
                        claim: refused("Property '\(nic.model).netdev' can't find value '\(netdev)'")
                    ))
                    continue
                }
                if let owner = taken[netdev] {
                    findings.append(LintFinding(
                        .netdevNotFound, host: role, argument: sources.nic(at: position), key: "netdev",
                        message: "\(nic.model) names netdev '\(netdev)', which \(owner) already uses: a netdev has one NIC, QEMU reports it in use",
                        hint: "give each NIC its own -netdev",
                        claim: refused("Property '\(nic.model).netdev' can't take value '\(netdev)', it's in use")
                    ))
                    continue
                }
                taken[netdev] = nic.id ?? nic.model
            }
        }

        mutating func checkObjects() {
            for netdev in host.netdevs where netdev.kind == .vhostUser {
                if let chardev = netdev.options.value(for: "chardev"), attached[chardev] == nil {
                    attached[chardev] = .vhostUserNetdev(netdev: netdev.id)
                }
            }
            for object in host.objects {
                switch object {
                case .filter(let filter):
                    check(filter)
                case .coloCompare(let compare):
                    check(compare)
                case .iothread, .other:
                    continue
                }
            }
        }

        // MARK: Filters (F-1, M-2, R-2)

        private mutating func check(_ filter: FilterConfiguration) {
            let what = "\(filter.kind.typeName) '\(filter.id)'"
            if let rejection = chains.rejection(of: filter.id) {
                report(rejection, filter: filter.id, what: what)
                return
            }
            switch filter.kind {
            case .mirror:
                if let outdev = filter.outdev {
                    attach(outdev, as: .mirrorOutdev(filter: filter.id), what: what, direction: "")
                }
            case .redirector:
                do {
                    try FilterRedirector.checkChardevProperties(indev: filter.indev, outdev: filter.outdev)
                } catch .redirectorIndevEqualsOutdev(let indev) {
                    add(.redirectorSameChardev, object: filter.id, key: "outdev",
                        message: "\(what) has indev and outdev both '\(indev)': QEMU refuses it, they must differ (R-2)",
                        hint: "use two chardevs, or drop one of the two properties",
                        claim: refused("'indev' and 'outdev' could not be same for filter redirector"))
                    return
                } catch {
                    add(.redirectorWithoutChardev, object: filter.id, key: nil,
                        message: "\(what) has neither indev nor outdev: QEMU refuses it, at least one is needed (R-2)",
                        hint: "add indev=<chardev> to inject records, or outdev=<chardev> to redirect frames",
                        claim: refused("filter redirector needs 'indev' or 'outdev' at least one property set"))
                    return
                }
                if let indev = filter.indev {
                    attach(indev, as: .redirectorIndev(filter: filter.id), what: what, direction: "IN ")
                }
                if let outdev = filter.outdev {
                    attach(outdev, as: .redirectorOutdev(filter: filter.id), what: what, direction: "OUT ")
                }
            case .rewriter, .buffer, .dump:
                break
            }
        }

        private mutating func report(_ rejection: FilterCreationError, filter id: String, what: String) {
            switch rejection {
            case .netdevMissing:
                // Already reported while parsing (parameter 'netdev' is missing).
                break
            case .netdevNotABackend(let netdev, namesNIC: false):
                add(.netdevNotFound, object: id, key: "netdev",
                    message: "\(what) names netdev '\(Excerpt.short(netdev))', which does not exist: QEMU expects a network backend id (F-1)",
                    hint: host.netdevs.first.map { "did you mean netdev=\($0.id)?" } ?? "define the -netdev first",
                    claim: refused("Parameter 'netdev' expects a network backend id"))
            case .netdevNotABackend(let nic, namesNIC: true):
                let backend = index.nic(nic)?.netdev
                add(.filterOnNIC, object: id, key: "netdev",
                    message: "\(what) names '\(nic)', a guest NIC: filters attach to the backend (-netdev), so QEMU expects a network backend id (F-1)",
                    hint: backend.map { "write netdev=\($0), the NIC's backend" } ?? "name the -netdev id",
                    claim: refused("Parameter 'netdev' expects a network backend id"))
            case .vhostUnsupported(let netdev):
                add(.vhostOn, object: id, key: "netdev",
                    message: "\(what) attaches to netdev '\(netdev)', which uses vhost: its frames bypass QEMU's net core, so QEMU refuses the filter (F-1, L-6)",
                    hint: "set vhost=off on -netdev \(netdev)",
                    claim: refused("Vhost is not supported"))
            case .multiqueueUnsupported(let netdev, let queues):
                add(.multiqueueNetdev, object: id, key: "netdev",
                    message: "\(what) attaches to netdev '\(netdev)' with \(queues) queues: QEMU refuses filters on multiqueue backends (F-1, L-6)",
                    hint: "drop queues= from -netdev \(netdev)",
                    claim: refused("multiqueue is not supported"))
            case .positionFilterNotFound(let target):
                add(.positionTarget, object: id, key: "position",
                    message: "\(what) has position=id=\(Excerpt.short(target)), but no filter '\(Excerpt.short(target))' exists when it is created: QEMU reports the filter not found (F-1)",
                    hint: target.isEmpty ? "write position=id=<filter-id>, head or tail" : "create '\(Excerpt.short(target))' earlier on the command line, or fix the id",
                    claim: refused("filter '\(target)' not found"))
            case .positionFilterOnDifferentNetdev(let target, _) where target == id:
                add(.positionTarget, object: id, key: "position",
                    message: "\(what) has position=id=\(id), itself: QEMU finds the filter being created, whose netdev is not set yet, and reports it on a different netdev (F-1)",
                    hint: "name another filter of the same netdev, or write head or tail",
                    claim: refused("filter '\(target)' belongs to a different netdev"))
            case .positionFilterOnDifferentNetdev(let target, let netdev):
                add(.positionTarget, object: id, key: "position",
                    message: "\(what) has position=id=\(target), but '\(target)' belongs to netdev '\(netdev)': QEMU refuses a neighbour on a different netdev (F-1)",
                    hint: "attach both filters to the same netdev",
                    claim: refused("filter '\(target)' belongs to a different netdev"))
            case .positionIsNotAFilter(let target, let typeName):
                add(.positionTarget, object: id, key: "position",
                    message: "\(what) has position=id=\(target), a \(typeName), not a filter: QEMU casts it to a filter unchecked; builds with QOM cast checking (upstream's default) abort, builds without it (Debian's 7.2) read a garbage netdev and report 'filter \(target) belongs to a different netdev'",
                    hint: "name a filter of the same netdev",
                    claim: version == .v7_2 ? refused("filter '\(target)' belongs to a different netdev") : nil)
            case .invalidID, .duplicateID, .invalidPosition, .setupFailed:
                // Not among steps 1–4, the only ones the chain prediction runs: the importer
                // checks ids and the position's form, `check(_:)` the setup's own checks.
                break
            }
        }

        // MARK: colo-compare (C-1)

        private mutating func check(_ compare: COLOCompareConfiguration) {
            let what = "colo-compare '\(compare.id)'"
            let crashNote = version == .v7_2 ? "; QEMU 7.2 then aborts with an assertion failure while discarding the half-made compare instead of printing the error" : ""
            let links = compare.links
            guard links.unsetRequiredProperties.isEmpty, let iothread = links.iothread else {
                return  // reported while parsing
            }
            if let (first, second) = links.propertiesSharingAChardev {
                add(.compareSameChardev, object: compare.id, key: second,
                    message: "\(what) uses one chardev for \(first) and \(second): QEMU refuses it, inputs and output must all differ (C-1)\(crashNote)",
                    hint: "give each of primary_in, secondary_in and outdev its own chardev",
                    claim: compareFailure(nil))
                return
            }
            for (chardev, role) in compare.chardevUses {
                guard let device = index.chardev(chardev) else {
                    add(.chardevNotFound, object: compare.id, key: role.property,
                        message: "\(what) \(role.property)='\(Excerpt.short(chardev))' names no chardev: QEMU reports the device not found (C-1)\(crashNote)",
                        hint: "define -chardev socket,id=\(Excerpt.short(chardev)),... before the compare",
                        claim: compareFailure("Device '\(chardev)' not found"))
                    return
                }
                guard device.supportsCompare else {
                    add(.compareChardevNotSocket, object: compare.id, key: role.property,
                        message: "\(what) \(role.property)='\(chardev)' is a \(device.backend.kindName) chardev: colo-compare needs one that can reconnect and switch context, i.e. a socket (C-1)\(crashNote)",
                        hint: "use -chardev socket for every compare channel",
                        claim: compareFailure(nil))
                    return
                }
                if !attach(chardev, as: role, what: what, direction: "", note: crashNote, compare: true) {
                    return
                }
            }
            if index.object(iothread)?.iothread == nil {
                add(.compareWithoutIOThread, object: compare.id, key: "iothread",
                    message: "\(what) iothread='\(Excerpt.short(iothread))' names no iothread object: QEMU cannot resolve the link\(crashNote)",
                    hint: "add -object iothread,id=\(Excerpt.short(iothread))",
                    claim: compareFailure(nil))
            }
        }

        // MARK: Chardev frontends

        /// Attaches a frontend, reporting a missing chardev or one already in use.
        @discardableResult
        private mutating func attach(_ chardev: String, as role: ChardevFrontendRole, what: String, direction: String, note: String = "", compare: Bool = false) -> Bool {
            guard index.chardev(chardev) != nil else {
                let message = "\(direction)Device '\(chardev)' not found"
                add(.chardevNotFound, object: role.ownerID, key: role.property,
                    message: "\(what) \(role.property)='\(Excerpt.short(chardev))' names no chardev: QEMU reports the \(direction)device not found\(note)",
                    hint: "define -chardev socket,id=\(Excerpt.short(chardev)),... or correct the name",
                    claim: compare ? compareFailure(message) : refused(message))
                return false
            }
            if let owner = attached[chardev] {
                let message = "Device '\(chardev)' is in use"
                add(.chardevInUse, object: role.ownerID, key: role.property,
                    message: "\(what) \(role.property)='\(chardev)' is already the \(owner.property) of '\(owner.ownerID)': a chardev takes one frontend, QEMU reports it in use\(note)",
                    hint: "give each filter and compare channel its own chardev",
                    claim: compare ? compareFailure(message) : refused(message))
                return false
            }
            attached[chardev] = role
            return true
        }
    }
}
