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
        hint: String?,
        claim: QEMUClaim? = nil
    ) {
        // A design finding is about what happens once QEMU runs; unless it says otherwise,
        // QEMU starts.
        findings.append(LintFinding(rule, severity: severity, host: host, argument: argument, key: key, message: message, hint: hint,
                                    claim: claim ?? .started(version: context.options.version)))
    }

    var version: QEMUVersion { context.options.version }

    /// Names a chardev with its host for messages, e.g. `red0 (secondary)`.
    func describe(_ endpoint: ChardevEndpoint) -> String {
        "\(endpoint.chardev) (\(endpoint.host))"
    }

    func socket(_ endpoint: ChardevEndpoint) -> SocketChardevOptions? {
        context.index(endpoint.host).chardev(endpoint.chardev)?.socket
    }
}
