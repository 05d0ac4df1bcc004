/// Where each imported entity was written, so later checks can name the argument.
public struct HostSourceMap: Sendable, Hashable {
    var netdevLocations: [String: ArgumentLocation] = [:]
    var chardevLocations: [String: ArgumentLocation] = [:]
    var objectLocations: [String: ArgumentLocation] = [:]
    /// Parallel to `HostConfiguration.nics` (NICs may have no id).
    var nicLocations: [ArgumentLocation] = []

    public init() {}

    public func netdev(_ id: String) -> ArgumentLocation? { netdevLocations[id] }
    public func chardev(_ id: String) -> ArgumentLocation? { chardevLocations[id] }
    public func object(_ id: String) -> ArgumentLocation? { objectLocations[id] }
    public func nic(at index: Int) -> ArgumentLocation? {
        nicLocations.indices.contains(index) ? nicLocations[index] : nil
    }
}

/// One host's command line read into the model, with what the reading found.
public struct HostImport: Sendable, Hashable {
    public var role: HostRole
    public var configuration: HostConfiguration
    public var sources: HostSourceMap
    /// Syntax findings (unknown options and keys, bad values, duplicates ...), in argument order.
    public var findings: [LintFinding]
    public var commandLine: QEMUCommandLine
}

/// Input that cannot be imported.
public enum QEMUArgsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text cannot be split into words (unbalanced quotes ...).
    case shellSyntax(host: HostRole, ShellSyntaxError)
    /// QEMU would refuse the command line; the findings say where and why.
    case rejected(host: HostRole?, [LintFinding])

    public var description: String {
        switch self {
        case .shellSyntax(let host, let error):
            "\(host) command line: \(error)"
        case .rejected(let host, let findings):
            (["\(host.map { "\($0) command line" } ?? "command lines") rejected:"]
                + findings.map { "  " + LintReport.headline(of: $0) }).joined(separator: "\n")
        }
    }
}

extension LintRule {
    /// Rules whose findings mean QEMU itself refuses the command line (parse or completion),
    /// as opposed to a configuration QEMU accepts but COLO cannot use.
    public var isQEMURefusal: Bool {
        switch self {
        case .unknownOption, .unknownParameter, .strayArgument, .invalidValue, .duplicateID,
             .missingParameter, .netdevNotFound, .filterOnNIC, .vhostOn, .multiqueueNetdev,
             .chardevNotFound, .positionTarget, .redirectorWithoutChardev, .redirectorSameChardev,
             .compareSameChardev, .compareWithoutIOThread, .zeroValue, .chardevInUse,
             .compareChardevNotSocket:
            true
        default:
            false
        }
    }
}
