import Fabric

/// Hand-written and seeded colo-compare cases. Frames are guest output (guest → client); the
/// secondary's are already in the primary's sequence space, as after its rewriter (C-12).
enum CompareCatalogue {
    static let guestIP: [UInt8] = [10, 0, 0, 1]
    static let clientIP: [UInt8] = [10, 0, 0, 9]

    /// Builds the guest-output frames of one connection.
    struct Flow {
        var guestPort: UInt16 = 80
        var clientPort: UInt16 = 40_000
        var vnetHeader: [UInt8] = []

        func tcp(_ seq: UInt32, ack: UInt32 = 5_000, _ payload: [UInt8] = [], flags: TCPFlags = [.ack, .psh],
                 tcpOptions: [UInt8] = [], ipID: UInt16 = 0, ttl: UInt8 = 64) -> Frame {
            CaseFrames.tcp(from: Endpoint(guestIP, guestPort), to: Endpoint(clientIP, clientPort), seq: seq, ack: ack,
                           flags: flags, payload: payload, tcpOptions: tcpOptions, ipID: ipID, ttl: ttl, vnetHeader: vnetHeader)
        }

        func udp(_ payload: [UInt8], ipID: UInt16 = 0, ttl: UInt8 = 64) -> Frame {
            CaseFrames.udp(from: Endpoint(guestIP, guestPort), to: Endpoint(clientIP, clientPort), payload: payload,
                           ipID: ipID, ttl: ttl, vnetHeader: vnetHeader)
        }
    }

    static func text(_ string: String) -> [UInt8] { Array(string.utf8) }

    static var handWritten: [CompareCase] {
        tcpCases + datagramCases + edgeCases
    }

    // MARK: TCP

    static var tcpCases: [CompareCase] {
        let flow = Flow()
        let a = text("abcd"), b = text("efgh"), c = text("ijkl")
        let abc = a + b + c
        return [
            CompareCase(name: "tcp-identical-segments", rules: ["C-10", "C-11.1"], steps: [
                .primary(flow.tcp(1_000, a)), .secondary(flow.tcp(1_000, a)),
                .secondary(flow.tcp(1_004, b)), .primary(flow.tcp(1_004, b)),
                .primary(flow.tcp(1_008, c)), .secondary(flow.tcp(1_008, c)), .checkpoint,
            ]),
            CompareCase(name: "tcp-primary-larger-segment", rules: ["C-11.3", "C-11.2"], steps: [
                .primary(flow.tcp(1_000, abc)), .secondary(flow.tcp(1_000, a)),
                .secondary(flow.tcp(1_004, b)), .secondary(flow.tcp(1_008, c)), .checkpoint,
            ]),
            CompareCase(name: "tcp-secondary-larger-segment", rules: ["C-11.2", "C-9"], steps: [
                .primary(flow.tcp(1_000, a)), .primary(flow.tcp(1_004, b)), .primary(flow.tcp(1_008, c)),
                .secondary(flow.tcp(1_000, abc)), .checkpoint,
            ]),
            CompareCase(name: "tcp-ack-gate-holds-primary", rules: ["C-11.2", "C-9", "C-8"], steps: [
                .primary(flow.tcp(1_000, ack: 600, a)), .primary(flow.tcp(1_004, ack: 600, b)),
                .secondary(flow.tcp(1_000, ack: 590, a + b)), .secondary(flow.tcp(1_008, ack: 600, c)),
                .primary(flow.tcp(1_008, ack: 600, c)), .checkpoint,
            ]),
            CompareCase(name: "tcp-last-ack-not-max-ack", rules: ["C-8 (quirk)", "C-9 (quirk)"], steps: [
                .secondary(flow.tcp(1_000, ack: 900, a + b)), .secondary(flow.tcp(1_008, ack: 700, c)),
                .primary(flow.tcp(1_000, ack: 800, a)), .primary(flow.tcp(1_004, ack: 800, b)),
                .primary(flow.tcp(1_008, ack: 800, c)), .checkpoint,
            ]),
            CompareCase(name: "tcp-unsigned-min-gate", rules: ["C-9 (quirk)"], steps: [
                .primary(flow.tcp(1_000, ack: 0xffff_fff0, a)), .primary(flow.tcp(1_004, ack: 0xffff_fff0, b)),
                .secondary(flow.tcp(1_000, ack: 0x0000_0010, a + b)), .checkpoint,
            ]),
            CompareCase(name: "tcp-pure-acks", rules: ["C-13", "C-10"], steps: [
                .primary(flow.tcp(1_000, flags: [.ack])), .primary(flow.tcp(1_000, ack: 5_010, flags: [.ack])),
                .secondary(flow.tcp(1_000, flags: [.ack])), .secondary(flow.tcp(1_000, a)),
                .primary(flow.tcp(1_000, a)), .primary(flow.tcp(1_004, ack: 5_020, flags: [.ack])),
                .secondary(flow.tcp(1_004, ack: 5_020, flags: [.ack])), .checkpoint,
            ]),
            CompareCase(name: "tcp-retransmission", rules: ["C-13", "C-10"], steps: [
                .primary(flow.tcp(1_000, a)), .secondary(flow.tcp(1_000, a)),
                .primary(flow.tcp(1_000, a)), .secondary(flow.tcp(1_000, a)),
                .secondary(flow.tcp(1_004, b)), .primary(flow.tcp(1_000, a)), .primary(flow.tcp(1_004, b)),
                .checkpoint,
            ]),
            CompareCase(name: "tcp-sequence-wrap", rules: ["C-7", "C-10", "C-13 (compare_seq 0 quirk)"], steps: [
                .primary(flow.tcp(0xffff_fff8, a)), .secondary(flow.tcp(0xffff_fff8, a)),
                .primary(flow.tcp(0xffff_fffc, b)), .secondary(flow.tcp(0xffff_fffc, b)),
                .primary(flow.tcp(0, c)), .secondary(flow.tcp(0, c)),
                .primary(flow.tcp(0xffff_fffc, b)), .secondary(flow.tcp(4, a)), .primary(flow.tcp(4, a)),
                .checkpoint,
            ]),
            CompareCase(name: "tcp-out-of-order-primaries", rules: ["C-7"], steps: [
                .primary(flow.tcp(1_008, c)), .primary(flow.tcp(1_000, a)), .primary(flow.tcp(1_004, b)),
                .secondary(flow.tcp(1_000, abc)), .checkpoint,
            ]),
            CompareCase(name: "tcp-payload-mismatch-then-resume", rules: ["C-11", "C-18", "C-20", "C-13"], steps: [
                .primary(flow.tcp(1_000, a)), .secondary(flow.tcp(1_000, text("abcX"))),
                .primary(flow.tcp(1_004, b)), .checkpoint,
                .primary(flow.tcp(1_008, c)), .secondary(flow.tcp(1_008, c)), .checkpoint,
            ]),
            CompareCase(name: "tcp-secondary-first", rules: ["C-10", "C-13"], steps: [
                .secondary(flow.tcp(1_000, a)), .secondary(flow.tcp(1_004, b)),
                .primary(flow.tcp(1_000, a + b)), .checkpoint,
            ]),
            CompareCase(name: "tcp-control-segments", rules: ["C-12", "C-13"], steps: [
                .primary(flow.tcp(999, ack: 100, flags: [.syn, .ack])), .secondary(flow.tcp(999, ack: 100, flags: [.syn, .ack])),
                .primary(flow.tcp(1_000, a, flags: [.ack, .psh, .fin])), .secondary(flow.tcp(1_000, a, flags: [.ack])),
                .primary(flow.tcp(1_005, flags: [.rst])), .secondary(flow.tcp(1_005, flags: [.ack, .rst])),
                .checkpoint,
            ]),
            CompareCase(name: "tcp-headers-ignored", rules: ["C-12"], steps: [
                .primary(flow.tcp(1_000, a, tcpOptions: [1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2], ipID: 7, ttl: 64)),
                .secondary(flow.tcp(1_000, a, ipID: 99, ttl: 12)), .checkpoint,
            ]),
            CompareCase(name: "tcp-ethernet-padding-counts-as-payload", rules: ["C-8 (quirk)"], steps: [
                .primary(padded(flow.tcp(1_000, text("x")))), .secondary(flow.tcp(1_000, text("x"))),
                .primary(flow.tcp(1_001, text("y"))), .secondary(padded(flow.tcp(1_001, text("y")))),
                .checkpoint,
            ]),
        ]
    }

    /// Pads a frame to Ethernet's 60-byte minimum with zeros, as a NIC would.
    static func padded(_ frame: Frame) -> Frame {
        var copy = frame
        if copy.bytes.count < 60 { copy.bytes += [UInt8](repeating: 0, count: 60 - copy.bytes.count) }
        return copy
    }

    // MARK: UDP, ICMP, other protocols

    static var datagramCases: [CompareCase] {
        let flow = Flow()
        let other = Flow(guestPort: 53, clientPort: 5_353)
        let ping = { (sequence: UInt16, payload: String) -> Frame in
            CaseFrames.icmpEcho(from: guestIP, to: clientIP, type: 0, identifier: 7, sequence: sequence, payload: text(payload))
        }
        let gre = { (payload: String, ttl: UInt8) -> Frame in
            CaseFrames.ipv4(from: guestIP, to: clientIP, protocolNumber: 47, payload: [0, 0, 0x08, 0] + text(payload), ttl: ttl)
        }
        let sctp = { (port: UInt16, payload: String) -> Frame in
            CaseFrames.ipv4(from: guestIP, to: clientIP, protocolNumber: 132,
                            payload: [UInt8(port >> 8), UInt8(port & 0xff), 0, 9, 0, 0, 0, 1, 0, 0, 0, 0] + text(payload))
        }
        return [
            CompareCase(name: "udp-match", rules: ["C-14", "C-15"], steps: [
                .primary(flow.udp(text("q1"))), .secondary(flow.udp(text("q1"), ipID: 5, ttl: 3)),
                .secondary(flow.udp(text("q2"))), .primary(flow.udp(text("q2"))), .checkpoint,
            ]),
            CompareCase(name: "udp-mismatch-then-flush", rules: ["C-14", "C-18", "C-20"], steps: [
                .primary(flow.udp(text("A"))), .secondary(flow.udp(text("B"))),
                .primary(flow.udp(text("C"))), .secondary(flow.udp(text("C"))), .checkpoint,
            ]),
            CompareCase(name: "udp-newest-first", rules: ["C-14 (quirk)", "C-7 (quirk)"], steps: [
                .primary(flow.udp(text("one"))), .primary(flow.udp(text("two"))), .primary(flow.udp(text("three"))),
                .secondary(flow.udp(text("one"))), .secondary(flow.udp(text("two"))), .secondary(flow.udp(text("three"))),
                .checkpoint,
            ]),
            CompareCase(name: "udp-two-connections", rules: ["C-5", "C-14", "C-20"], steps: [
                .primary(flow.udp(text("a"))), .primary(other.udp(text("b"))), .secondary(other.udp(text("b"))),
                .primary(other.udp(text("c"))), .primary(flow.udp(text("d"))), .checkpoint,
            ]),
            CompareCase(name: "udp-length-differs", rules: ["C-15"], steps: [
                .primary(flow.udp(text("abc"))), .secondary(flow.udp(text("abcd"))), .checkpoint,
            ]),
            CompareCase(name: "icmp-echo", rules: ["C-16", "P-4"], steps: [
                .primary(ping(1, "ping")), .secondary(ping(1, "ping")),
                .primary(ping(2, "ping")), .secondary(ping(3, "ping")), .checkpoint,
            ]),
            CompareCase(name: "gre-other-protocol", rules: ["C-17", "P-3"], steps: [
                .primary(gre("tunnel", 64)), .secondary(gre("tunnel", 64)),
                .primary(gre("tunnel", 64)), .secondary(gre("tunnel", 63)), .checkpoint,
            ]),
            CompareCase(name: "sctp-port-word-key", rules: ["C-17", "P-3"], steps: [
                .primary(sctp(1, "x")), .primary(sctp(2, "y")), .secondary(sctp(2, "y")),
                .secondary(sctp(1, "x")), .checkpoint,
            ]),
        ]
    }

    // MARK: Unparseable frames, queue limits, vnet headers, many connections

    static var edgeCases: [CompareCase] {
        let flow = Flow()
        let arp = CaseFrames.arpRequest(senderIP: guestIP, targetIP: clientIP)
        let ipv6 = CaseFrames.ethernet(etherType: 0x86dd, payload: [0x60] + [UInt8](repeating: 0, count: 39))
        let inner = flow.udp(text("tagged"))
        let vlan = CaseFrames.ethernet(etherType: 0x8100, payload: [0, 5, 0x08, 0x00] + Array(inner.bytes.dropFirst(14)))
        let qinq = CaseFrames.ethernet(etherType: 0x88a8, payload: [0, 5, 0x08, 0x00] + Array(inner.bytes.dropFirst(14)))
        let runt = Frame(Array(inner.bytes.prefix(17)))
        let vnet = Flow(vnetHeader: [UInt8](repeating: 0, count: 12))
        let oversizedV = Flow(vnetHeader: [UInt8](repeating: 0, count: 24))
        let ports: [UInt16] = [1, 2, 3]
        return [
            CompareCase(name: "unparseable-frames", rules: ["C-3", "C-4", "P-1"], steps: [
                .primary(arp), .secondary(arp), .primary(ipv6), .secondary(ipv6), .primary(vlan), .secondary(vlan),
                .primary(runt), .secondary(runt), .primary(qinq), .secondary(qinq), .checkpoint,
            ]),
            CompareCase(name: "queue-limit-udp", rules: ["C-6"], maxQueueSize: 3, steps:
                (0..<6).map { .primary(flow.udp([UInt8($0)])) } + (0..<6).map { .secondary(flow.udp([UInt8($0)])) } + [.checkpoint]
            ),
            CompareCase(name: "queue-limit-tcp", rules: ["C-6", "C-7"], maxQueueSize: 2, steps:
                (0..<5).map { .primary(flow.tcp(1_000 + UInt32($0) * 2, [UInt8($0), 0])) }
                + (0..<5).map { .secondary(flow.tcp(1_000 + UInt32($0) * 2, [UInt8($0), 0])) } + [.checkpoint]
            ),
            CompareCase(name: "vnet-headers", rules: ["W-1", "W-4", "W-13", "P-1"], vnetHeaderSupport: true, steps: [
                .primary(vnet.udp(text("v"))), .secondary(vnet.udp(text("v"))),
                .primary(vnet.tcp(1_000, text("abcd"))), .secondary(vnet.tcp(1_000, text("abcd"))),
                .primary(oversizedV.udp(text("big V"))), .secondary(oversizedV.udp(text("big V"))),
                .primary(vnet.udp(text("x"))), .secondary(vnet.udp(text("y"))), .checkpoint,
            ]),
            CompareCase(name: "flush-follows-connection-order", rules: ["C-5", "C-20"], steps:
                ports.map { .primary(Flow(guestPort: $0).tcp(1_000, text("data"))) }
                + ports.reversed().map { .primary(Flow(guestPort: $0).udp(text("dgram"))) }
                + [.secondary(Flow(guestPort: 2).tcp(1_000, text("DATA"))), .checkpoint]
            ),
        ]
    }
}
