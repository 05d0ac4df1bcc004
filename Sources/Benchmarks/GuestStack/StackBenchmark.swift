import Fabric
import GuestStack
import COLORuntime

/// What one bulk transfer between two stacks did.
public struct StackBulkTransferResult: Sendable, Hashable {
    /// Application bytes delivered to the receiver.
    public var bytes: Int
    /// TCP segments carrying data, retransmissions included.
    public var dataSegments: Int
    /// Every TCP segment, both directions (data, ACKs, handshake, FIN).
    public var segments: Int
    /// Virtual time the transfer took.
    public var virtualTime: VirtualDuration
    /// A value derived from the received bytes, so the work cannot be optimised away.
    public var checksum: UInt64
}

/// The stack benchmark: a client-to-guest bulk transfer over an ideal link (fixed latency, no
/// loss), driven by a tight loop rather than the scheduler, so it measures the stacks.
public enum StackBenchmark {
    /// Sends `bytes` from a client stack to a guest stack that reads and discards them.
    public static func bulkTransfer(bytes total: Int, latency: VirtualDuration = .microseconds(50),
                                    configure: (inout StackConfiguration) -> Void = { _ in }) -> StackBulkTransferResult {
        let chooser = SeededChooser(seed: 1)
        var clientConfiguration = StackConfiguration(name: "client", mac: HostNetwork.clientMAC, address: HostNetwork.clientAddress)
        var guestConfiguration = StackConfiguration(name: "guest", mac: HostNetwork.guestMAC, address: HostNetwork.guestAddress)
        clientConfiguration.arp.staticEntries = [StaticARPEntry(address: HostNetwork.guestAddress, mac: HostNetwork.guestMAC)]
        guestConfiguration.arp.staticEntries = [StaticARPEntry(address: HostNetwork.clientAddress, mac: HostNetwork.clientMAC)]
        configure(&clientConfiguration)
        configure(&guestConfiguration)
        var client = NetworkStack(configuration: clientConfiguration)
        var guest = NetworkStack(configuration: guestConfiguration)
        guard let listener = try? guest.listen(port: 5_001),
              let socket = try? client.connect(to: HostNetwork.guestAddress, port: 5_001, choices: chooser) else {
            return StackBulkTransferResult(bytes: 0, dataSegments: 0, segments: 0, virtualTime: .zero, checksum: 0)
        }
        var now = VirtualTime.zero
        var towardGuest: [(VirtualTime, Frame)] = []
        var towardClient: [(VirtualTime, Frame)] = []
        var headGuest = 0
        var headClient = 0
        var accepted: SocketHandle?
        var written = 0
        var received = 0
        var checksum: UInt64 = 0
        var scratch: [Frame] = []
        var connected = false
        while received < total {
            scratch.removeAll(keepingCapacity: true)
            client.takeOutput(into: &scratch)
            for frame in scratch { towardGuest.append((now + latency, frame)) }
            scratch.removeAll(keepingCapacity: true)
            guest.takeOutput(into: &scratch)
            for frame in scratch { towardClient.append((now + latency, frame)) }
            if !connected { connected = client.status(of: socket)?.isConnected == true }
            if written < total, connected {
                let before = written
                PayloadPattern.withBytes(at: written, count: min(total - written, 65_536)) { chunk in
                    written += (try? client.send(chunk, on: socket, choices: chooser)) ?? 0
                }
                if written == total { client.close(socket, choices: chooser) }
                if written > before { continue }
            }
            // Next event: the earlier head of the two FIFOs, or a timer.
            var next = [client.nextDeadline, guest.nextDeadline].compactMap { $0 }.min()
            if headGuest < towardGuest.count { next = min(next ?? towardGuest[headGuest].0, towardGuest[headGuest].0) }
            if headClient < towardClient.count { next = min(next ?? towardClient[headClient].0, towardClient[headClient].0) }
            guard let next else { break }
            now = max(now, next)
            if headGuest < towardGuest.count && towardGuest[headGuest].0 <= now {
                guest.receive(towardGuest[headGuest].1, at: now, choices: chooser)
                headGuest += 1
                if accepted == nil { accepted = guest.accept(listener) }
                if let accepted {
                    received += guest.consume(from: accepted, choices: chooser) { raw in
                        if let last = raw.last { checksum = checksum &* 31 &+ UInt64(last) }
                    }
                }
            } else if headClient < towardClient.count && towardClient[headClient].0 <= now {
                client.receive(towardClient[headClient].1, at: now, choices: chooser)
                headClient += 1
            } else {
                client.advance(to: now, choices: chooser)
                guest.advance(to: now, choices: chooser)
            }
            if headGuest > 4_096 { towardGuest.removeFirst(headGuest); headGuest = 0 }
            if headClient > 4_096 { towardClient.removeFirst(headClient); headClient = 0 }
        }
        let counters = (client.counters, guest.counters)
        return StackBulkTransferResult(
            bytes: received, dataSegments: counters.0.tcpDataSegmentsSent + counters.1.tcpDataSegmentsSent,
            segments: counters.0.tcpSegmentsSent + counters.1.tcpSegmentsSent,
            virtualTime: now - .zero, checksum: checksum)
    }
}

/// Stack cases for `lockstep bench`.
public enum StackBenchmarks {
    /// Payload bytes per full-sized data segment with the default MSS and timestamps.
    public static let segmentPayload = 1_448

    public static let all: [BenchmarkCase] = [
        BenchmarkCase(
            name: "stack.bulk-transfer.segments",
            unit: "data segments",
            defaultIterations: 1_000_000,
            goalPerSecond: 1_000_000,
            body: { iterations in
                let result = StackBenchmark.bulkTransfer(bytes: iterations * segmentPayload)
                return result.checksum &+ UInt64(result.segments)
            }
        ),
        BenchmarkCase(
            name: "stack.bulk-transfer.bytes",
            unit: "simulated bytes",
            defaultIterations: 1_000_000_000,
            body: { iterations in
                let result = StackBenchmark.bulkTransfer(bytes: iterations)
                return result.checksum &+ UInt64(result.bytes)
            }
        ),
    ]
}
