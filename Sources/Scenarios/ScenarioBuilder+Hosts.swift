import Yams
import Fabric
import GuestStack
import COLORuntime

/// `guests:` and `client:`: stack settings, applications' divergence knobs, workload, link.
extension ScenarioBuilder {
    static let stackKeys = [
        "mss", "mtu", "delayed_ack", "nagle", "timestamps", "sack", "isn", "ts_offset", "ip_id",
        "receive_buffer", "send_buffer", "initial_rto", "min_rto", "congestion_control", "ephemeral_ports",
        "time_wait", "initial_window",
    ]
    static let knobKeys = ["token_rate", "token_kind", "processing_delay", "processing_jitter"]

    mutating func readGuests(_ node: Node) {
        guard let fields = reader.fields(node, "the guests", known: ["stack", "default_response_size", "primary", "secondary", "outbound"]) else { return }
        if let node = fields["outbound"] {
            // Starts from a one-connection, one-exchange workload, not from the client's.
            var outbound = WorkloadConfiguration(server: HostNetwork.clientAddress, port: 8080)
            readWorkload(node, into: &outbound, "the guests' outbound workload")
            configuration.guestWorkload = outbound
        }
        if let node = fields["stack"] { readStack(node, into: &configuration.guestStack, "the guests' stack") }
        if let node = fields["default_response_size"], let value = reader.int(node, "default_response_size", min: 0, max: RunLimits.maximumBodyBytes) {
            configuration.guestDefaultResponseSize = value
        }
        if let node = fields["primary"], let guest = reader.fields(node, "the primary guest", known: Self.knobKeys) {
            readKnobs(guest, into: &configuration.primaryKnobs)
        }
        if let node = fields["secondary"], let guest = reader.fields(node, "the secondary guest", known: Self.knobKeys + ["stack"]) {
            readKnobs(guest, into: &configuration.secondaryKnobs)
            if let stackNode = guest["stack"] {
                var stack = configuration.guestStack
                readStack(stackNode, into: &stack, "the secondary guest's stack")
                configuration.secondaryGuestStack = stack
            }
        }
    }

    func readKnobs(_ fields: Fields, into knobs: inout DivergenceKnobs) {
        if let node = fields["token_rate"], let value = reader.rate(node, "token_rate") { knobs.tokenRate = value }
        if let node = fields["token_kind"], let value = reader.choice(node, "token_kind", ["random", "timestamp"]) {
            knobs.tokenKind = value == "random" ? .random : .timestamp
        }
        if let node = fields["processing_delay"], let value = reader.duration(node, "processing_delay") { knobs.processingDelay = value }
        if let node = fields["processing_jitter"], let value = reader.duration(node, "processing_jitter") { knobs.processingJitter = value }
    }

    func readStack(_ node: Node, into stack: inout StackConfiguration, _ what: String) {
        guard let fields = reader.fields(node, what, known: Self.stackKeys) else { return }
        if let node = fields["mss"], let value = reader.int(node, "mss", min: 64, max: 65_495) { stack.tcp.maximumSegmentSize = UInt16(value) }
        if let node = fields["mtu"], let value = reader.int(node, "mtu", min: 576, max: 65_535) { stack.mtu = value }
        if let node = fields["delayed_ack"] { readDelayedAck(node, into: &stack.tcp.delayedAck) }
        if let node = fields["nagle"], let value = reader.bool(node, "nagle") { stack.tcp.nagle = value }
        if let node = fields["timestamps"], let value = reader.bool(node, "timestamps") { stack.tcp.timestamps = value }
        if let node = fields["sack"], let value = reader.bool(node, "sack") { stack.tcp.sackPermitted = value }
        if let node = fields["isn"] {
            if case .scalar(let scalar) = node, scalar.string == "chosen" {
                stack.tcp.initialSequenceNumber = .chosen
            } else if let value = reader.int(node, "isn (chosen or a 32-bit number)", min: 0, max: Int(UInt32.max)) {
                stack.tcp.initialSequenceNumber = .fixed(UInt32(value))
            }
        }
        if let node = fields["ts_offset"], let value = reader.choice(node, "ts_offset", ["zero", "chosen"]) {
            stack.tcp.timestampOffset = value == "zero" ? .zero : .chosen
        }
        if let node = fields["ip_id"], let value = reader.choice(node, "ip_id", ["sequential", "random", "zero_df"]) {
            stack.ipIdentification = switch value {
            case "random": .random
            case "zero_df": .zeroWithDontFragment
            default: .sequential(start: 1)
            }
        }
        if let node = fields["receive_buffer"], let value = reader.int(node, "receive_buffer", min: 1, max: 1 << 30) { stack.tcp.receiveBufferSize = value }
        if let node = fields["send_buffer"], let value = reader.int(node, "send_buffer", min: 1, max: 1 << 30) { stack.tcp.sendBufferSize = value }
        if let node = fields["initial_rto"], let value = reader.duration(node, "initial_rto", allowsZero: false) { stack.tcp.initialRTO = value }
        if let node = fields["min_rto"], let value = reader.duration(node, "min_rto", allowsZero: false) { stack.tcp.minimumRTO = value }
        if let node = fields["congestion_control"], let value = reader.choice(node, "congestion_control", ["newreno", "none"]) {
            stack.tcp.congestionControl = value == "newreno" ? .newReno : .none
        }
        if let node = fields["ephemeral_ports"], let value = reader.choice(node, "ephemeral_ports", ["sequential", "random"]) {
            stack.ephemeralPorts = value == "random" ? .random : .sequential(first: 49_152)
        }
        if let node = fields["time_wait"], let value = reader.duration(node, "time_wait") { stack.tcp.timeWait = value }
        if let node = fields["initial_window"], let value = reader.int(node, "initial_window (segments)", min: 1, max: 65_535) { stack.tcp.initialWindowSegments = value }
    }

    /// `delayed_ack: false` or `{enabled: true, timeout: 40ms, segments: 2}`.
    private func readDelayedAck(_ node: Node, into delayedAck: inout DelayedAckConfiguration) {
        if case .scalar = node {
            if let value = reader.bool(node, "delayed_ack (true, false or a mapping)") { delayedAck.enabled = value }
            return
        }
        guard let fields = reader.fields(node, "delayed_ack", known: ["enabled", "timeout", "segments"]) else { return }
        if let node = fields["enabled"], let value = reader.bool(node, "enabled") { delayedAck.enabled = value }
        if let node = fields["timeout"], let value = reader.duration(node, "the delayed-ACK timeout", allowsZero: false) { delayedAck.timeout = value }
        if let node = fields["segments"], let value = reader.int(node, "segments", min: 1, max: 65_535) { delayedAck.segments = value }
    }

    // MARK: Client

    mutating func readClient(_ node: Node) {
        guard let fields = reader.fields(node, "the client", known: ["workload", "udp_queries", "stack", "link", "pcap"]) else { return }
        if let node = fields["pcap"] { readReplay(node) }
        if let node = fields["workload"] { readWorkload(node) }
        if let node = fields["udp_queries"] { readDatagramQueries(node) }
        if let node = fields["stack"] { readStack(node, into: &configuration.clientStack, "the client's stack") }
        if let node = fields["link"] { readLink(node) }
    }

    /// `udp_queries: {count, interval, query_size, response_size, port, timeout, attempts}`.
    private mutating func readDatagramQueries(_ node: Node) {
        let known = ["count", "interval", "query_size", "response_size", "port", "timeout", "attempts"]
        guard let fields = reader.fields(node, "the UDP queries", known: known) else { return }
        var queries = DatagramQueryWorkload()
        if let node = fields["count"], let value = reader.int(node, "UDP query count", min: 1, max: 65_535) { queries.count = value }
        if let node = fields["interval"], let value = reader.duration(node, "UDP query interval") { queries.interval = value }
        if let node = fields["query_size"], let value = reader.int(node, "query_size in bytes", min: 4, max: 1_400) { queries.querySize = value }
        if let node = fields["response_size"], let value = reader.int(node, "UDP response_size in bytes", min: 0, max: 1_400) { queries.responseSize = value }
        if let node = fields["port"], let value = reader.int(node, "UDP port", min: 1, max: 65_535) { queries.port = UInt16(value) }
        if let node = fields["timeout"], let value = reader.duration(node, "UDP retry timeout", allowsZero: false) { queries.timeout = value }
        if let node = fields["attempts"], let value = reader.int(node, "UDP attempts per query", min: 1, max: 1_000) { queries.attempts = value }
        configuration.datagramQueries = queries
    }

    private mutating func readWorkload(_ node: Node) {
        readWorkload(node, into: &configuration.workload, "the workload")
    }

    private func readWorkload(_ node: Node, into workload: inout WorkloadConfiguration, _ what: String) {
        let known = ["connections", "requests", "request_size", "response_size", "think_time", "connection_interval", "port", "pipelined"]
        guard let fields = reader.fields(node, what, known: known) else { return }
        if let node = fields["connections"], let value = reader.int(node, "connections", min: 1, max: RunLimits.maximumConnections) { workload.connections = value }
        if let node = fields["requests"], let value = reader.int(node, "requests per connection", min: 1, max: RunLimits.maximumRequests) { workload.requestsPerConnection = value }
        if let node = fields["request_size"], let value = reader.int(node, "request_size in bytes", min: 0, max: RunLimits.maximumBodyBytes) { workload.requestSize = value }
        if let node = fields["response_size"], let value = reader.int(node, "response_size in bytes", min: 0, max: RunLimits.maximumBodyBytes) { workload.responseSize = value }
        if let node = fields["think_time"], let value = reader.duration(node, "think_time") { workload.thinkTime = value }
        if let node = fields["connection_interval"], let value = reader.duration(node, "connection_interval") { workload.connectionInterval = value }
        if let node = fields["port"], let value = reader.int(node, "port", min: 1, max: 65_535) { workload.port = UInt16(value) }
        if let node = fields["pipelined"], let value = reader.bool(node, "pipelined") { workload.pipelined = value }
    }

    private mutating func readLink(_ node: Node) {
        let known = ["latency", "jitter", "loss", "duplication", "reordering", "reorder_delay"]
        guard let fields = reader.fields(node, "the client link", known: known) else { return }
        var link = configuration.clientLink
        if let node = fields["latency"], let value = reader.duration(node, "the link latency") { link.latency = value }
        if let node = fields["jitter"], let value = reader.duration(node, "the link jitter") { link.jitter = value }
        if let node = fields["loss"], let value = reader.rate(node, "loss") { link.loss = value }
        if let node = fields["duplication"], let value = reader.rate(node, "duplication") { link.duplication = value }
        if let node = fields["reordering"], let value = reader.rate(node, "reordering") { link.reordering = value }
        if let node = fields["reorder_delay"], let value = reader.duration(node, "reorder_delay", allowsZero: false) { link.reorderDelay = value }
        configuration.clientLink = link
    }
}
