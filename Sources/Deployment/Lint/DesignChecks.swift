/// The lint's checks of a configuration QEMU may well accept but that cannot work as a COLO
/// network path: pairing, directions, order, vnet consistency, start order.
struct DesignChecks {
    let context: LintContext
    var findings: [LintFinding] = []

    init(context: LintContext) {
        self.context = context
    }

    var topology: Topology { context.topology }

    mutating func run() -> [LintFinding] {
        checkPairing()
        checkServerWaits()
        checkStartOrder()
        checkAddresses()
        checkDirections()
        checkFilterOrder()
        checkVnetHeaders()
        checkRewriter()
        checkCompareChannels()
        checkMiscellaneous()
        return findings
    }

    mutating func add(
        _ rule: LintRule,
        severity: LintSeverity? = nil,
        host: HostRole?,
        argument: ArgumentLocation?,
        key: String? = nil,
        message: String,
        hint: String?
    ) {
        findings.append(LintFinding(rule, severity: severity, host: host, argument: argument, key: key, message: message, hint: hint))
    }

    /// Names a chardev with its host for messages, e.g. `red0 (secondary)`.
    func describe(_ endpoint: ChardevEndpoint) -> String {
        "\(endpoint.chardev) (\(endpoint.host))"
    }

    func socket(_ endpoint: ChardevEndpoint) -> SocketChardevOptions? {
        topology[endpoint.host].chardev(endpoint.chardev)?.socket
    }
}
