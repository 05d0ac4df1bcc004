import Fabric
import Primary

/// The checks QEMU makes when it creates the netdevs, NICs, filters and compares of one command
/// line (F-1, M-2, R-2, C-1), as findings. QEMU stops at the first; this reports them all.
public enum QEMUValidation {
    public static func findings(for hostImport: HostImport) -> [LintFinding] {
        check(host: hostImport.configuration, role: hostImport.role, sources: hostImport.sources).findings
    }

    /// Checks a configuration built without command lines (a scenario, a test): the parse-time
    /// checks on required and zero values run too, since no importer made them.
    public static func findings(host: HostConfiguration, role: HostRole) -> [LintFinding] {
        check(host: host, role: role, sources: HostSourceMap(), includeParseChecks: true).findings
    }

    /// The findings and the ids of the objects QEMU would refuse to create.
    static func check(
        host: HostConfiguration,
        role: HostRole,
        sources: HostSourceMap,
        includeParseChecks: Bool = false
    ) -> (findings: [LintFinding], refusedObjects: [String]) {
        var checker = Checker(host: host, role: role, sources: sources)
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
        let chains: FilterChains
        var findings: [LintFinding] = []
        /// Objects with a finding, in creation order.
        var refused: [String] = []
        /// Chardevs already taken by a frontend, with their first owner.
        var attached: [(chardev: String, owner: ChardevFrontendRole)] = []

        init(host: HostConfiguration, role: HostRole, sources: HostSourceMap) {
            self.host = host
            self.role = role
            self.sources = sources
            chains = host.filterChains
        }

        mutating func add(_ rule: LintRule, object id: String, key: String?, message: String, hint: String?) {
            if !refused.contains(id) { refused.append(id) }
            findings.append(LintFinding(rule, host: role, argument: sources.object(id), key: key, message: message, hint: hint))
        }

        /// What the importer reports while parsing: required properties and zero values.
        mutating func checkRequiredProperties() {
            for object in host.objects {
                switch object {
                case .filter(let filter):
                    let what = "\(filter.kind.typeName) '\(filter.id)'"
                    for key in filter.unsetRequiredProperties {
                        add(.missingParameter, object: filter.id, key: key,
                            message: "\(what) has no \(key): QEMU refuses it (parameter '\(key)' is missing)", hint: "set \(key)")
                    }
                    var zero: [String] = filter.interval == 0 ? ["interval"] : []
                    if let maxlen = filter.maxlen, (try? FilterDump.checkMaxLength(maxlen)) == nil { zero.append("maxlen") }
                    for key in zero {
                        add(.zeroValue, object: filter.id, key: key,
                            message: "\(what) \(key)=0: QEMU refuses it, the value must be positive", hint: "omit \(key) or give a positive value")
                    }
                case .coloCompare(let compare):
                    let what = "colo-compare '\(compare.id)'"
                    let unset = compare.links.unsetRequiredProperties
                    let absent = unset.filter { $0 != "iothread" }
                    if !absent.isEmpty {
                        add(.missingParameter, object: compare.id, key: absent.first,
                            message: "\(what) lacks \(absent.joined(separator: ", ")): primary_in, secondary_in, outdev and iothread are all required (C-1)",
                            hint: "name the three chardevs")
                    }
                    if unset.contains("iothread") {
                        add(.compareWithoutIOThread, object: compare.id, key: "iothread",
                            message: "\(what) has no iothread: QEMU 7.2 refuses it while parsing (parameter 'iothread' is missing), upstream at completion (C-1, L-12)",
                            hint: "add -object iothread,id=iothread and iothread=iothread on the colo-compare")
                    }
                    // A 32-bit value can only be refused for being 0.
                    for (property, value) in compare.tunables {
                        guard let value, (try? property.validated(UInt64(value))) == nil else { continue }
                        let key = property.rawValue
                        add(.zeroValue, object: compare.id, key: key,
                            message: "\(what) \(key)=0: upstream QEMU refuses it (the property needs a positive value); QEMU 7.2 aborts with an assertion failure instead of printing that",
                            hint: "omit \(key) for the default, or give a positive value")
                    }
                case .iothread, .other:
                    continue
                }
            }
        }

        mutating func checkNICs() {
            for (index, nic) in host.nics.enumerated() {
                guard let netdev = nic.netdev, host.netdev(netdev) == nil else { continue }
                findings.append(LintFinding(
                    .netdevNotFound, host: role, argument: sources.nic(at: index), key: "netdev",
                    message: "\(nic.model) names netdev '\(netdev)', which no -netdev defines: QEMU cannot find the value",
                    hint: "define -netdev TYPE,id=\(netdev) or correct the name"
                ))
            }
        }

        mutating func checkObjects() {
            for netdev in host.netdevs where netdev.kind == .vhostUser {
                if let chardev = netdev.options.value(for: "chardev") {
                    attached.append((chardev, .vhostUserNetdev(netdev: netdev.id)))
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
                        hint: "use two chardevs, or drop one of the two properties")
                    return
                } catch {
                    add(.redirectorWithoutChardev, object: filter.id, key: nil,
                        message: "\(what) has neither indev nor outdev: QEMU refuses it, at least one is needed (R-2)",
                        hint: "add indev=<chardev> to inject records, or outdev=<chardev> to redirect frames")
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
                    message: "\(what) names netdev '\(netdev)', which does not exist: QEMU expects a network backend id (F-1)",
                    hint: host.netdevs.first.map { "did you mean netdev=\($0.id)?" } ?? "define the -netdev first")
            case .netdevNotABackend(let nic, namesNIC: true):
                let backend = host.nic(nic)?.netdev
                add(.filterOnNIC, object: id, key: "netdev",
                    message: "\(what) names '\(nic)', a guest NIC: filters attach to the backend (-netdev), so QEMU expects a network backend id (F-1)",
                    hint: backend.map { "write netdev=\($0), the NIC's backend" } ?? "name the -netdev id")
            case .vhostUnsupported(let netdev):
                add(.vhostOn, object: id, key: "netdev",
                    message: "\(what) attaches to netdev '\(netdev)', which uses vhost: its frames bypass QEMU's net core, so QEMU refuses the filter (F-1, L-6)",
                    hint: "set vhost=off on -netdev \(netdev)")
            case .multiqueueUnsupported(let netdev, let queues):
                add(.multiqueueNetdev, object: id, key: "netdev",
                    message: "\(what) attaches to netdev '\(netdev)' with \(queues) queues: QEMU refuses filters on multiqueue backends (F-1, L-6)",
                    hint: "drop queues= from -netdev \(netdev)")
            case .positionFilterNotFound(let target):
                add(.positionTarget, object: id, key: "position",
                    message: "\(what) has position=id=\(target), but no filter '\(target)' exists before it: QEMU reports the filter not found (F-1)",
                    hint: "create '\(target)' earlier on the command line, or fix the id")
            case .positionFilterOnDifferentNetdev(let target, let netdev):
                add(.positionTarget, object: id, key: "position",
                    message: "\(what) has position=id=\(target), but '\(target)' belongs to netdev '\(netdev)': QEMU refuses a neighbour on a different netdev (F-1)",
                    hint: "attach both filters to the same netdev")
            case .positionIsNotAFilter(let target, let typeName):
                add(.positionTarget, object: id, key: "position",
                    message: "\(what) has position=id=\(target), a \(typeName), not a filter: upstream QEMU aborts on the bad cast; 7.2 release builds report a different netdev instead",
                    hint: "name a filter of the same netdev")
            case .invalidID, .duplicateID, .invalidPosition, .setupFailed:
                // Not among steps 1–4, the only ones the chain prediction runs: the importer
                // checks ids and the position's form, `check(_:)` the setup's own checks.
                break
            }
        }

        // MARK: colo-compare (C-1)

        private mutating func check(_ compare: COLOCompareConfiguration) {
            let what = "colo-compare '\(compare.id)'"
            let crashNote = "; QEMU 7.2 then aborts with an assertion failure while discarding the half-made compare instead of printing the error"
            let links = compare.links
            guard links.unsetRequiredProperties.isEmpty, let iothread = links.iothread else {
                return  // reported while parsing
            }
            if let (first, second) = links.propertiesSharingAChardev {
                add(.compareSameChardev, object: compare.id, key: second,
                    message: "\(what) uses one chardev for \(first) and \(second): QEMU refuses it, inputs and output must all differ (C-1)\(crashNote)",
                    hint: "give each of primary_in, secondary_in and outdev its own chardev")
                return
            }
            for (chardev, role) in compare.chardevUses {
                guard let device = host.chardev(chardev) else {
                    add(.chardevNotFound, object: compare.id, key: role.property,
                        message: "\(what) \(role.property)='\(chardev)' names no chardev: QEMU reports the device not found (C-1)\(crashNote)",
                        hint: "define -chardev socket,id=\(chardev),... before the compare")
                    return
                }
                guard device.supportsCompare else {
                    add(.compareChardevNotSocket, object: compare.id, key: role.property,
                        message: "\(what) \(role.property)='\(chardev)' is a \(device.backend.kindName) chardev: colo-compare needs one that can reconnect and switch context, i.e. a socket (C-1)\(crashNote)",
                        hint: "use -chardev socket for every compare channel")
                    return
                }
                if !attach(chardev, as: role, what: what, direction: "", note: crashNote) {
                    return
                }
            }
            if host.object(iothread)?.iothread == nil {
                add(.compareWithoutIOThread, object: compare.id, key: "iothread",
                    message: "\(what) iothread='\(iothread)' names no iothread object: QEMU cannot resolve the link\(crashNote)",
                    hint: "add -object iothread,id=\(iothread)")
            }
        }

        // MARK: Chardev frontends

        /// Attaches a frontend, reporting a missing chardev or one already in use.
        @discardableResult
        private mutating func attach(_ chardev: String, as role: ChardevFrontendRole, what: String, direction: String, note: String = "") -> Bool {
            guard host.chardev(chardev) != nil else {
                add(.chardevNotFound, object: role.ownerID, key: role.property,
                    message: "\(what) \(role.property)='\(chardev)' names no chardev: QEMU reports the \(direction)device not found\(note)",
                    hint: "define -chardev socket,id=\(chardev),... or correct the name")
                return false
            }
            if let owner = attached.first(where: { $0.chardev == chardev })?.owner {
                add(.chardevInUse, object: role.ownerID, key: role.property,
                    message: "\(what) \(role.property)='\(chardev)' is already the \(owner.property) of '\(owner.ownerID)': a chardev takes one frontend, QEMU reports it in use\(note)",
                    hint: "give each filter and compare channel its own chardev")
                return false
            }
            attached.append((chardev, role))
            return true
        }
    }
}
