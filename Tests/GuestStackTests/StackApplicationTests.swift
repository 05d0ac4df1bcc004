import Testing
@testable import Fabric
@testable import GuestStack

@Suite("Stack applications and clients: UDP, ICMP, echo, divergence knobs")
struct StackApplicationTests {
    private func pair(client: [any StackApplication], guest: [any StackApplication], knobs: DivergenceKnobs = DivergenceKnobs(),
                      seed: UInt64 = 3, guestConfiguration: (inout StackConfiguration) -> Void = { _ in }) -> HostPair {
        HostPair(a: Hosts.client(client), b: Hosts.guest(guest, knobs: knobs, configure: guestConfiguration),
                 chooser: SeededChooser(seed: seed))
    }

    @Test("UDP DNS-like queries are answered byte for byte; lost datagrams are retried")
    func datagramQueries() throws {
        for dropEvery in [0, 4] {
            var pair = pair(client: [DatagramQueryClient(server: HostNetwork.guestAddress, count: 10, responseSize: 300, maximumAttempts: 6)],
                            guest: [DatagramServer()])
            pair.dropEvery = dropEvery
            pair.dropPhase = 1
            pair.start()
            pair.run(until: .seconds(30))
            let client = try #require(pair.a.application(0, as: DatagramQueryClient.self))
            #expect(client.isFinished)
            for query in client.queries {
                #expect(query.answer == DatagramMessages.answer(identifier: query.identifier, responseSize: 300))
            }
            if dropEvery > 0 { #expect(client.queries.contains { $0.attempts > 1 }) }
        }
    }

    @Test("UDP to an unbound port is answered with ICMP port unreachable")
    func portUnreachable() throws {
        var pair = StackPair()
        let socket = try pair.a.bindUDP(choices: pair.chooser)
        try pair.a.sendUDP([1, 2, 3], from: socket, to: StackPair.addressB, port: 9_999, choices: pair.chooser)
        pair.run(until: .seconds(1))
        #expect(pair.b.counters[drop: .udpNoSocket] == 1)
        let icmp = pair.log.last { !$0.towardB }
        #expect(icmp.map { $0.frame.bytes[14 + 20] } == 3)
        #expect(pair.a.counters[drop: .unhandledICMP] == 1)
    }

    @Test("ping: the stack answers echo requests with the same payload")
    func pingStack() throws {
        var pair = pair(client: [PingClient(target: HostNetwork.guestAddress, count: 5, interval: .milliseconds(100))], guest: [])
        pair.start()
        pair.run(until: .seconds(5))
        let ping = try #require(pair.a.application(0, as: PingClient.self))
        #expect(ping.isFinished)
        for probe in ping.probes {
            #expect(probe.replyPayload == ping.payload(for: probe.sequence))
            if let sent = probe.sentAt, let replied = probe.repliedAt, probe.sequence > 0 {
                #expect(replied - sent == .milliseconds(10))
            }
        }
    }

    @Test("ping: an application responder adds its processing delay and tokens")
    func pingResponder() throws {
        let knobs = DivergenceKnobs(tokenRate: .always, tokenKind: .timestamp, processingDelay: .milliseconds(30))
        var pair = pair(client: [PingClient(target: HostNetwork.guestAddress, count: 3, interval: .milliseconds(200))],
                        guest: [PingResponder()], knobs: knobs) { $0.echoReplies = .application }
        pair.start()
        pair.run(until: .seconds(5))
        let ping = try #require(pair.a.application(0, as: PingClient.self))
        let probe = ping.probes[2]
        #expect(probe.repliedAt.map { $0 - probe.sentAt! } == .milliseconds(40))
        let arrival = probe.sentAt! + .milliseconds(5)
        let token = Array(String(UInt64(arrival.nanoseconds), radix: 16).utf8)
        #expect(probe.replyPayload.map { Array($0.prefix(16)).drop { $0 == UInt8(ascii: "0") } } == token[...])
    }

    @Test("echo server returns every byte; a client that closes gets FIN back")
    func echo() throws {
        var pair = HostPair(a: Hosts.client([]), b: Hosts.guest([EchoServer(port: 7, recording: .bytes)]), chooser: SeededChooser(seed: 1))
        pair.start()
        let data = PayloadPattern.bytes(at: 5, count: 30_000)
        let chooser = pair.chooser
        let handle = try pair.a.withStack { stack in
            let handle = try stack.connect(to: HostNetwork.guestAddress, port: 7, choices: chooser)
            try stack.send(data, on: handle, choices: chooser)
            stack.close(handle, choices: chooser)
            return handle
        }
        var received: [UInt8] = []
        for _ in 0..<40 {
            pair.run(until: pair.now + .milliseconds(50))
            received += pair.a.withStack { $0.read(from: handle, choices: chooser) }
        }
        #expect(received == data)
        let server = try #require(pair.b.application(0, as: EchoServer.self))
        #expect(server.connections.first?.received.bytes == data)
        #expect(server.connections.first?.closed == true)
    }

    @Test("knobs: token rate 1 puts a 16-hex-digit token at the start of every response body")
    func responseTokens() throws {
        var workload = WorkloadConfiguration(server: HostNetwork.guestAddress)
        workload.requestsPerConnection = 3
        workload.recording = .bytes
        var pair = pair(client: [ConnectionWorkload(workload)], guest: [RequestResponseServer()],
                        knobs: DivergenceKnobs(tokenRate: .always))
        pair.start()
        pair.run(until: .seconds(5))
        let report = try #require(pair.a.application(0, as: ConnectionWorkload.self)?.reports.first)
        #expect(report.requestsCompleted == 3)
        #expect(report.firstBodyMismatch == 0)
        let text = String(decoding: report.received.bytes ?? [], as: UTF8.self)
        #expect(text.split(separator: "\r\n\r\n", omittingEmptySubsequences: false).count == 4)
    }

    @Test("knobs: processing delay plus drawn jitter delays each response")
    func processingDelay() throws {
        var workload = WorkloadConfiguration(server: HostNetwork.guestAddress)
        workload.requestsPerConnection = 1
        func finish(_ knobs: DivergenceKnobs) throws -> VirtualTime {
            var pair = pair(client: [ConnectionWorkload(workload)], guest: [RequestResponseServer()], knobs: knobs)
            pair.start()
            pair.run(until: .seconds(5))
            return try #require(pair.a.application(0, as: ConnectionWorkload.self)?.reports.first?.finishedAt)
        }
        let base = try finish(DivergenceKnobs())
        #expect(try finish(DivergenceKnobs(processingDelay: .milliseconds(50))) - base == .milliseconds(50))
        let jittered = try finish(DivergenceKnobs(processingDelay: .milliseconds(50), processingJitter: .milliseconds(20))) - base
        #expect(jittered >= .milliseconds(50) && jittered <= .milliseconds(70))
    }

    /// Feeds two guests the same client frames at the same times (as COLO's mirror does) and
    /// returns each guest's output frames.
    private func twinOutputs(knobs: DivergenceKnobs, configure: (inout StackConfiguration) -> Void) throws -> ([[UInt8]], [[UInt8]]) {
        var workload = WorkloadConfiguration(server: HostNetwork.guestAddress)
        workload.connections = 2
        workload.requestsPerConnection = 3
        workload.responseSize = 5_000
        let chooser = SeededChooser(seed: 11)
        var primary = Hosts.guest([RequestResponseServer()], knobs: knobs, name: "primary", configure: configure)
        var secondary = Hosts.guest([RequestResponseServer()], knobs: knobs, name: "secondary", configure: configure)
        var client = Hosts.client([ConnectionWorkload(workload)])
        var now = VirtualTime.zero
        primary.start(at: now, choices: chooser)
        secondary.start(at: now, choices: chooser)
        client.start(at: now, choices: chooser)
        var primaryOut: [[UInt8]] = []
        var secondaryOut: [[UInt8]] = []
        var toGuests: [(VirtualTime, Frame)] = client.takeOutput().map { (now + .milliseconds(1), $0) }
        var toClient: [(VirtualTime, Frame)] = []
        while !client.isFinished && now < .seconds(30) {
            let next = [toGuests.first?.0, toClient.first?.0, client.nextDeadline, primary.nextDeadline, secondary.nextDeadline]
                .compactMap { $0 }.min()
            guard let next else { break }
            now = next
            if let first = toGuests.first, first.0 <= now {
                toGuests.removeFirst()
                primary.receive(first.1, at: now, choices: chooser)
                secondary.receive(first.1, at: now, choices: chooser)
            } else if let first = toClient.first, first.0 <= now {
                toClient.removeFirst()
                client.receive(first.1, at: now, choices: chooser)
            } else {
                client.advance(to: now, choices: chooser)
                primary.advance(to: now, choices: chooser)
                secondary.advance(to: now, choices: chooser)
            }
            let fromPrimary = primary.takeOutput()
            primaryOut += fromPrimary.map(\.bytes)
            secondaryOut += secondary.takeOutput().map(\.bytes)
            toClient += fromPrimary.map { (now + .milliseconds(1), $0) }
            toGuests += client.takeOutput().map { (now + .milliseconds(1), $0) }
        }
        #expect(client.isFinished)
        return (primaryOut, secondaryOut)
    }

    @Test("divergence is only through named knobs: twin guests with fixed ISN and no app knobs emit identical frames")
    func twinsAgreeWithoutKnobs() throws {
        let (primary, secondary) = try twinOutputs(knobs: DivergenceKnobs()) { $0.tcp.initialSequenceNumber = .fixed(42) }
        #expect(primary.count > 20)
        #expect(primary == secondary)
    }

    @Test("divergence knobs: chosen ISNs, random IP IDs or tokens make twin guests differ")
    func twinsDivergeWithKnobs() throws {
        let isn = try twinOutputs(knobs: DivergenceKnobs()) { _ in }
        #expect(isn.0 != isn.1)
        let ipID = try twinOutputs(knobs: DivergenceKnobs()) {
            $0.tcp.initialSequenceNumber = .fixed(42)
            $0.ipIdentification = .random
        }
        #expect(ipID.0 != ipID.1)
        let tokens = try twinOutputs(knobs: DivergenceKnobs(tokenRate: .always)) { $0.tcp.initialSequenceNumber = .fixed(42) }
        #expect(tokens.0 != tokens.1)
    }
}
