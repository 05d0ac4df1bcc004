/// How bad a finding is. `error`: QEMU refuses to start, hangs, or COLO cannot work as meant;
/// `warning`: it runs but something is likely wrong; `info`: worth knowing, nothing to fix.
public enum LintSeverity: String, Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    case info
    case warning
    case error

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .error: 2
        }
    }

    public static func < (lhs: LintSeverity, rhs: LintSeverity) -> Bool { lhs.rank < rhs.rank }

    public var description: String { rawValue }
}

/// Every lint rule, with a stable id. Ids never change meaning; retired rules leave a gap.
public enum LintRule: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    // Command-line syntax (QEMU refuses the argument while parsing it).
    case unknownOption = "L001"
    case unknownParameter = "L002"
    case strayArgument = "L003"
    case invalidValue = "L004"
    case duplicateID = "L005"
    case missingParameter = "L006"
    case shortFormBoolean = "L007"
    // QEMU's own validation when the objects are completed (F-1, M-2, R-2, C-1).
    case netdevNotFound = "L010"
    case filterOnNIC = "L011"
    case vhostOn = "L012"
    case multiqueueNetdev = "L013"
    case chardevNotFound = "L014"
    case positionTarget = "L015"
    case redirectorWithoutChardev = "L016"
    case redirectorSameChardev = "L017"
    case compareSameChardev = "L018"
    case compareWithoutIOThread = "L019"
    case zeroValue = "L020"
    case chardevInUse = "L021"
    case compareChardevNotSocket = "L022"
    // Chardev pairing between and within the hosts.
    case chardevUnpaired = "L030"
    case bothServers = "L031"
    case noServer = "L032"
    case serverSeveralClients = "L033"
    case serverWaitBlocks = "L034"
    // The COLO data path.
    case redirectorDirection = "L040"
    case mirrorQueue = "L041"
    case filterOrder = "L042"
    case vnetHeaderMismatch = "L043"
    case noRewriter = "L044"
    case rewriterBypassed = "L045"
    case compareUnfed = "L046"
    case startOrder = "L047"
    case notifyDevWithoutXen = "L048"
    case filterStatusOff = "L049"
    case nonLoopbackAddress = "L050"
    case netdevWithoutNIC = "L051"
    case missingCOLOComponent = "L052"
    case legacyNetOption = "L053"
    case nothingToCheck = "L054"

    /// The stable id, e.g. `L001`.
    public var id: String { rawValue }

    /// The kebab-case name, e.g. `unknown-option`.
    public var name: String {
        switch self {
        case .unknownOption: "unknown-option"
        case .unknownParameter: "unknown-parameter"
        case .strayArgument: "stray-argument"
        case .invalidValue: "invalid-value"
        case .duplicateID: "duplicate-id"
        case .missingParameter: "missing-parameter"
        case .shortFormBoolean: "short-form-boolean"
        case .netdevNotFound: "netdev-not-found"
        case .filterOnNIC: "filter-on-nic"
        case .vhostOn: "vhost-on"
        case .multiqueueNetdev: "multiqueue-netdev"
        case .chardevNotFound: "chardev-not-found"
        case .positionTarget: "position-target"
        case .redirectorWithoutChardev: "redirector-without-chardev"
        case .redirectorSameChardev: "redirector-same-chardev"
        case .compareSameChardev: "compare-same-chardev"
        case .compareWithoutIOThread: "compare-without-iothread"
        case .zeroValue: "zero-value"
        case .chardevInUse: "chardev-in-use"
        case .compareChardevNotSocket: "compare-chardev-not-socket"
        case .chardevUnpaired: "chardev-unpaired"
        case .bothServers: "both-servers"
        case .noServer: "no-server"
        case .serverSeveralClients: "server-several-clients"
        case .serverWaitBlocks: "server-wait-blocks"
        case .redirectorDirection: "redirector-direction"
        case .mirrorQueue: "mirror-queue"
        case .filterOrder: "filter-order"
        case .vnetHeaderMismatch: "vnet-hdr-mismatch"
        case .noRewriter: "no-rewriter"
        case .rewriterBypassed: "rewriter-bypassed"
        case .compareUnfed: "compare-unfed"
        case .startOrder: "start-order"
        case .notifyDevWithoutXen: "notify-dev-without-xen"
        case .filterStatusOff: "filter-status-off"
        case .nonLoopbackAddress: "non-loopback-address"
        case .netdevWithoutNIC: "netdev-without-nic"
        case .missingCOLOComponent: "missing-colo-component"
        case .legacyNetOption: "legacy-net-option"
        case .nothingToCheck: "nothing-to-check"
        }
    }

    /// The usual severity; a few rules raise or lower it case by case (documented per rule).
    public var defaultSeverity: LintSeverity {
        switch self {
        case .shortFormBoolean, .nonLoopbackAddress: .info
        case .mirrorQueue, .compareUnfed, .notifyDevWithoutXen, .filterStatusOff, .netdevWithoutNIC,
             .missingCOLOComponent, .legacyNetOption:
            .warning
        default: .error
        }
    }

    /// One line saying what the rule checks.
    public var summary: String {
        switch self {
        case .unknownOption: "an option QEMU does not have (a misspelling is named with its likely fix)"
        case .unknownParameter: "a key=value parameter the netdev, chardev, device or object type does not accept"
        case .strayArgument: "a word that belongs to no option; QEMU would open it as a disk image"
        case .invalidValue: "a malformed value, empty key, missing type, unknown type or ill-formed id"
        case .duplicateID: "two netdevs, chardevs or objects with one id"
        case .missingParameter: "a required parameter is missing"
        case .shortFormBoolean: "deprecated short-form booleans such as server,nowait"
        case .netdevNotFound: "a filter or NIC names a netdev that does not exist"
        case .filterOnNIC: "a filter names a NIC id instead of its netdev"
        case .vhostOn: "a filtered netdev uses vhost, whose frames bypass the filters"
        case .multiqueueNetdev: "a filtered netdev has several queues"
        case .chardevNotFound: "a filter or colo-compare names a chardev that does not exist"
        case .positionTarget: "position=id= names a missing filter, a filter on another netdev, or a non-filter"
        case .redirectorWithoutChardev: "a filter-redirector with neither indev nor outdev"
        case .redirectorSameChardev: "a filter-redirector whose indev and outdev are one chardev"
        case .compareSameChardev: "colo-compare inputs equal each other or the output"
        case .compareWithoutIOThread: "colo-compare without an iothread, or naming one that does not exist"
        case .zeroValue: "a zero colo-compare tunable, filter-buffer interval or filter-dump maxlen"
        case .chardevInUse: "a chardev with two frontends"
        case .compareChardevNotSocket: "colo-compare on a chardev that cannot reconnect or change context"
        case .chardevUnpaired: "a socket chardev with no peer: port or path mismatch"
        case .bothServers: "two servers on one address: nobody connects"
        case .noServer: "two clients on one address and no server"
        case .serverSeveralClients: "one server, several clients: only one is served"
        case .serverWaitBlocks: "a server waits (wait=on) for a client that cannot connect yet"
        case .redirectorDirection: "a redirector's queue runs against the path it serves"
        case .mirrorQueue: "filter-mirror does not copy exactly the netdev-to-guest traffic"
        case .filterOrder: "frames injected by a redirector are stolen again by a later filter"
        case .vnetHeaderMismatch: "vnet_hdr_support differs along a path or from the netdev"
        case .noRewriter: "no filter-rewriter on the secondary: TCP sequence numbers diverge"
        case .rewriterBypassed: "the secondary's rewriter sits where guest or mirrored frames miss it"
        case .compareUnfed: "a colo-compare channel not connected to the filter that should feed or drain it"
        case .startOrder: "the secondary starts first, or the pipes need it to"
        case .notifyDevWithoutXen: "notify_dev is for Xen COLO only"
        case .filterStatusOff: "a COLO filter created with status=off"
        case .nonLoopbackAddress: "pairing by a non-loopback host:port (fine for a real deployment)"
        case .netdevWithoutNIC: "a netdev no NIC uses, or a NIC without netdev"
        case .missingCOLOComponent: "a piece of the COLO proxy is absent (compare, mirror, redirectors)"
        case .legacyNetOption: "-net/-nic: the backend has no id a filter could name"
        case .nothingToCheck: "neither command line has a COLO filter or colo-compare: nothing was checked"
        }
    }

    public var description: String { "\(id) \(name)" }
}
