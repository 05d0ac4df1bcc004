import Fabric

/// Hand-written and seeded filter-rewriter cases, seen from the secondary: "client" frames go
/// to the guest (mirrored client traffic, primary-side rules), "guest" frames come from the
/// secondary guest (secondary-side rules).
enum RewriterCatalogue {
    /// One TCP conversation between a remote client and the guest.
    struct Conversation {
        var client = Endpoint([10, 0, 0, 9], 40_000)
        var guest = Endpoint([10, 0, 0, 1], 80)
        /// Client ISN, primary guest ISN (what the client sees), secondary guest ISN.
        var clientISN: UInt32 = 1_000
        var primaryISN: UInt32 = 7_000
        var secondaryISN: UInt32 = 90_000

        /// Client → guest; `ack` counts bytes after the primary guest's ISN + 1.
        func client(_ sent: UInt32, ack acked: UInt32?, _ flags: TCPFlags, _ payload: [UInt8] = [],
                    ipOptions: [UInt8] = []) -> RewriterStep {
            let ack = acked.map { primaryISN &+ 1 &+ $0 } ?? 0
            return .toGuest(CaseFrames.tcp(from: client, to: guest, seq: clientISN &+ sent, ack: ack, flags: flags,
                                           payload: payload, ipOptions: ipOptions))
        }

        /// Secondary guest → client; `sent` counts bytes after the secondary ISN (+1 after SYN).
        func guest(_ sent: UInt32, ack acked: UInt32?, _ flags: TCPFlags, _ payload: [UInt8] = [],
                   ipOptions: [UInt8] = []) -> RewriterStep {
            let ack = acked.map { clientISN &+ 1 &+ $0 } ?? 0
            return .fromGuest(CaseFrames.tcp(from: guest, to: client, seq: secondaryISN &+ sent, ack: ack, flags: flags,
                                             payload: payload, ipOptions: ipOptions))
        }

        /// Client SYN, secondary SYN+ACK, client ACK (RW-12 steps 1, 2, 4).
        var passiveOpen: [RewriterStep] {
            [client(0, ack: nil, [.syn]), guest(0, ack: 0, [.syn, .ack]), client(1, ack: 0, [.ack])]
        }
    }

    static func text(_ string: String) -> [UInt8] { Array(string.utf8) }

    static var handWritten: [RewriterCase] {
        let plain = Conversation()
        let wrapping = Conversation(primaryISN: 0x0000_0100, secondaryISN: 0xffff_ff00)
        let wrappingOther = Conversation(clientISN: 0xffff_fffe, primaryISN: 0xffff_fff0, secondaryISN: 0x10)
        let equalISN = Conversation(primaryISN: 90_000, secondaryISN: 90_000)
        let hello = text("hello"), world = text("world!")
        func dataBothWays(_ c: Conversation) -> [RewriterStep] {
            [c.client(1, ack: 0, [.ack, .psh], hello), c.guest(1, ack: 5, [.ack]), c.guest(1, ack: 5, [.ack, .psh], world),
             c.client(6, ack: 6, [.ack]), c.guest(7, ack: 5, [.ack, .psh], hello), c.client(6, ack: 11, [.ack, .psh], world)]
        }
        func passiveClose(_ c: Conversation) -> [RewriterStep] {
            [c.client(12, ack: 11, [.fin, .ack]), c.guest(12, ack: 12, [.ack]),
             c.guest(12, ack: 12, [.fin, .ack]), c.client(13, ack: 12, [.ack])]
        }
        let ports: [UInt16] = [40_001, 40_002, 40_003]
        let several = ports.enumerated().map { index, port in
            Conversation(client: Endpoint([10, 0, 0, 9], port), clientISN: UInt32(index) * 1_000_000,
                         primaryISN: 5_000 + UInt32(index), secondaryISN: 0xfff0_0000 + UInt32(index) * 77)
        }
        let guestFirst = Conversation(primaryISN: 3_000, secondaryISN: 44_000)
        return [
            RewriterCase(name: "passive-open-data-both-ways", rules: ["RW-7", "RW-8", "RW-9", "RW-11", "RW-12", "RW-13"],
                         steps: plain.passiveOpen + dataBothWays(plain)),
            RewriterCase(name: "offset-across-2^32", rules: ["RW-12"],
                         steps: wrapping.passiveOpen + dataBothWays(wrapping)),
            RewriterCase(name: "offset-across-2^32-other-way", rules: ["RW-12"],
                         steps: wrappingOther.passiveOpen + dataBothWays(wrappingOther)),
            RewriterCase(name: "passive-close-zero-offset", rules: ["RW-9.3", "RW-10", "RW-11.4"],
                         steps: equalISN.passiveOpen + dataBothWays(equalISN) + passiveClose(equalISN) + equalISN.passiveOpen),
            RewriterCase(name: "passive-close-nonzero-offset", rules: ["RW-14 (quirk)", "RW-10", "RW-11.4"],
                         steps: plain.passiveOpen + dataBothWays(plain) + passiveClose(plain) + dataBothWays(plain)),
            RewriterCase(name: "active-close-fin-ack", rules: ["RW-14 (quirk)", "RW-11.5"],
                         steps: plain.passiveOpen + [plain.guest(1, ack: 0, [.fin, .ack]), plain.client(1, ack: 1, [.fin, .ack]),
                                                     plain.guest(2, ack: 1, [.ack]), plain.client(2, ack: 1, [.ack])]),
            RewriterCase(name: "active-close-bare-fin", rules: ["RW-11.5", "RW-10.2"],
                         steps: plain.passiveOpen + [plain.guest(1, ack: nil, [.fin]), plain.client(1, ack: 1, [.fin, .ack]),
                                                     plain.guest(2, ack: 1, [.ack]), plain.client(1, ack: 0, [.ack], hello)]),
            RewriterCase(name: "rst-both-ways", rules: ["RW-14"],
                         steps: plain.passiveOpen + [plain.guest(1, ack: 0, [.rst, .ack]), plain.client(1, ack: 0, [.rst]),
                                                     plain.client(1, ack: 0, [.ack, .psh], hello)]),
            RewriterCase(name: "several-connections", rules: ["P-3", "RW-12"],
                         steps: several[0].passiveOpen + several[1].passiveOpen + [several[0].guest(1, ack: 0, [.ack, .psh], hello)]
                            + several[2].passiveOpen + dataBothWays(several[1]) + dataBothWays(several[2]) + dataBothWays(several[0])),
            RewriterCase(name: "guest-initiated-connection", rules: ["RW-11.2", "RW-7", "RW-14"],
                         steps: [guestFirst.guest(0, ack: nil, [.syn]), guestFirst.client(0, ack: 0, [.syn, .ack]),
                                 guestFirst.guest(1, ack: 0, [.ack])] + dataBothWays(guestFirst)),
            RewriterCase(name: "non-tcp-frames", rules: ["RW-2", "P-1"], steps: nonTCP),
            RewriterCase(name: "ip-options", rules: ["RW-13 (quirk)"],
                         steps: plain.passiveOpen + [plain.guest(1, ack: 0, [.ack, .psh], hello, ipOptions: [1, 1, 1, 0]),
                                                     plain.client(1, ack: 5, [.ack], ipOptions: [0x94, 4, 0, 0])]),
            RewriterCase(name: "checkpoint-mid-connection", rules: ["RW-15"],
                         steps: plain.passiveOpen + dataBothWays(plain) + [.checkpoint] + dataBothWays(plain)),
            RewriterCase(name: "syn-received-across-checkpoint", rules: ["RW-15 (quirk)"],
                         steps: [plain.client(0, ack: nil, [.syn]), plain.guest(0, ack: 0, [.syn, .ack]), .checkpoint,
                                 plain.client(1, ack: 0, [.ack])] + dataBothWays(plain)),
            RewriterCase(name: "reused-tuple-new-syn", rules: ["RW-8", "RW-14 (quirk)"],
                         steps: plain.passiveOpen + dataBothWays(plain) + [plain.client(0, ack: nil, [.syn])]
                            + dataBothWays(plain) + Conversation(secondaryISN: 123_456).passiveOpen),
            RewriterCase(name: "syn-retransmitted", rules: ["RW-8", "RW-11.1"],
                         steps: [plain.client(0, ack: nil, [.syn]), plain.client(0, ack: nil, [.syn])] + plain.passiveOpen
                            + dataBothWays(plain)),
        ]
    }

    static var nonTCP: [RewriterStep] {
        let guestIP: [UInt8] = [10, 0, 0, 1], clientIP: [UInt8] = [10, 0, 0, 9]
        let udpIn = CaseFrames.udp(from: Endpoint(clientIP, 53), to: Endpoint(guestIP, 5_353), payload: [1, 2])
        let icmp = CaseFrames.icmpEcho(from: guestIP, to: clientIP, identifier: 1, sequence: 1, payload: [9])
        let arp = CaseFrames.arpRequest(senderIP: guestIP, targetIP: clientIP)
        let ipv6 = CaseFrames.ethernet(etherType: 0x86dd, payload: [0x60] + [UInt8](repeating: 0, count: 39))
        let tcp = CaseFrames.tcp(from: Endpoint(clientIP, 1), to: Endpoint(guestIP, 2), seq: 1, ack: 0, flags: [.syn])
        let vlanTCP = CaseFrames.ethernet(etherType: 0x8100, payload: [0, 5, 0x08, 0x00] + Array(tcp.bytes.dropFirst(14)))
        let runt = Frame(Array(tcp.bytes.prefix(17)))
        return [.toGuest(udpIn), .fromGuest(udpIn), .fromGuest(icmp), .toGuest(icmp), .toGuest(arp), .fromGuest(arp),
                .toGuest(ipv6), .fromGuest(ipv6), .toGuest(vlanTCP), .fromGuest(vlanTCP), .toGuest(runt), .fromGuest(runt)]
    }

    /// Random passive connections (ISNs anywhere, often near 2^32) with data both ways,
    /// occasional checkpoints, pure ACKs and closes.
    static func random(seed: UInt64) -> RewriterCase {
        var random = CaseRandom(seed: seed &* 7_919)
        func isn() -> UInt32 {
            random.chance(40) ? 0xffff_ffff &- UInt32(random.below(300)) : UInt32(truncatingIfNeeded: random.next())
        }
        var conversations: [Conversation] = []
        for index in 0..<(1 + random.below(3)) {
            conversations.append(Conversation(client: Endpoint([10, 0, 0, 9], UInt16(41_000 + index)),
                                              clientISN: isn(), primaryISN: isn(), secondaryISN: isn()))
        }
        var steps: [RewriterStep] = []
        var clientSent = [UInt32](repeating: 1, count: conversations.count)
        var guestSent = [UInt32](repeating: 1, count: conversations.count)
        for (index, conversation) in conversations.enumerated() {
            steps += conversation.passiveOpen
            if random.chance(30) && index > 0 { steps.append(.checkpoint) }
        }
        for _ in 0..<(20 + random.below(30)) {
            let index = random.below(conversations.count)
            let c = conversations[index]
            let payload = random.bytes(random.below(20))
            switch random.below(10) {
            case 0..<4:
                steps.append(c.client(clientSent[index], ack: guestSent[index] - 1, [.ack, .psh], payload))
                clientSent[index] &+= UInt32(payload.count)
            case 4..<8:
                steps.append(c.guest(guestSent[index], ack: clientSent[index] - 1, [.ack, .psh], payload))
                guestSent[index] &+= UInt32(payload.count)
            case 8:
                steps.append(c.client(clientSent[index], ack: guestSent[index] - 1, [.ack]))
            default:
                steps.append(random.chance(50) ? .checkpoint : c.guest(guestSent[index], ack: clientSent[index] - 1, [.ack]))
            }
        }
        if let last = conversations.last, let index = conversations.indices.last, random.chance(50) {
            steps += [last.client(clientSent[index], ack: guestSent[index] - 1, [.fin, .ack]),
                      last.guest(guestSent[index], ack: clientSent[index], [.fin, .ack]),
                      last.client(clientSent[index] + 1, ack: guestSent[index], [.ack])]
        }
        return RewriterCase(name: "random-rewriter-seed-\(seed)", rules: ["RW-9", "RW-11", "RW-12", "RW-15"], steps: steps)
    }
}
