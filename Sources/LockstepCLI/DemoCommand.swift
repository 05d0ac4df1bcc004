import ArgumentParser
import Fabric

/// `lockstep demo`: the quick start. Builds the primary node's filter chain from QEMU's COLO
/// documentation, sends a few frames through it and prints what every hop did.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Walk a few frames through a primary-node filter chain and print every hop."
    )

    func run() throws {
        let demo = try DemoChain()
        print(demo.topologyDescription)

        demo.step("1. A client opens a TCP connection: its SYN reaches the host's tap") {
            demo.core.send(DemoFrames.tcp(toGuest: true, sequence: 1000, acknowledgement: 0, flags: .syn), from: demo.tap)
        }
        demo.step("2. The guest answers SYN-ACK; on the primary its output goes to colo-compare first") {
            demo.core.send(DemoFrames.tcp(toGuest: false, sequence: 7000, acknowledgement: 1001, flags: .synAck), from: demo.nic)
        }
        demo.step("3. colo-compare agrees with the secondary and releases the SYN-ACK; redire0 reads it") {
            demo.redire0.indevDidReceive(DemoFrames.tcp(toGuest: false, sequence: 7000, acknowledgement: 1001, flags: .synAck))
        }
        demo.step("4. A checkpoint starts: the primary VM stops") {
            demo.core.setVMRunning(false)
        }
        demo.step("5. colo-compare is flushed during the checkpoint and releases a guest reply") {
            demo.redire0.indevDidReceive(
                DemoFrames.tcp(toGuest: false, sequence: 7001, acknowledgement: 1001, flags: .pshAck, payload: Array("hello\n".utf8)))
        }
        let ack = DemoFrames.tcp(toGuest: true, sequence: 1001, acknowledgement: 7001, flags: .ack)
        demo.step("6. The client's ACK arrives at the host while the VM is stopped") {
            if !demo.core.canSend(demo.tap) {
                print("  tap0 cannot send while the VM is stopped, so QEMU does not read it: the ACK waits in the host kernel")
            }
        }
        demo.step("7. The checkpoint ends: the VM starts and the queued reply goes out") {
            demo.core.setVMRunning(true)
        }
        demo.step("8. tap0 reads again and sends the waiting ACK") {
            demo.core.send(ack, from: demo.tap)
        }
        demo.step("9. Something sends a frame larger than QEMU's 69 632-byte limit") {
            demo.core.send(Frame([UInt8](repeating: 0, count: 70_000)), from: demo.tap)
        }
        print(demo.summary)
    }
}

/// The chain of §10 (primary side): tap0 with m0, redire0, redire1; nic0 as its peer.
private final class DemoChain {
    let core: NetCore
    let tap: NetClient
    let nic: NetClient
    let wire = FrameRecorder()
    let guest = FrameRecorder()
    let log = NetHopLog()
    let mirror0 = RecordingChardev(id: "mirror0")
    let compareOut = RecordingChardev(id: "compare_out")
    let primaryIn = RecordingChardev(id: "primary_in")
    let redire0 = FilterRedirector(indev: "compare_out")

    init() throws {
        core = NetCore(chardevs: ChardevRegistry([mirror0, compareOut, primaryIn]))
        core.eventSink = log
        tap = try core.addNetdev(name: "tap0", endpoint: wire)
        nic = try core.addNIC(name: "nic0", peer: "tap0", endpoint: guest)
        try core.addFilter(FilterMirror(outdev: "mirror0"), options: FilterOptions(id: "m0", netdev: "tap0", queue: .tx))
        try core.addFilter(redire0, options: FilterOptions(id: "redire0", netdev: "tap0", queue: .rx))
        try core.addFilter(FilterRedirector(outdev: "primary_in"), options: FilterOptions(id: "redire1", netdev: "tap0", queue: .rx))
        log.removeAll()
    }

    var topologyDescription: String {
        """
        Lockstep demo: the primary node's filter chain from QEMU's COLO documentation

          host network ── tap0 (netdev) ═══ nic0 (virtio-net NIC) ── guest
          filters on tap0, head first:
            1. m0       filter-mirror      queue=tx  outdev=mirror0     copies client→guest frames to the secondary
            2. redire0  filter-redirector  queue=rx  indev=compare_out  injects what colo-compare releases
            3. redire1  filter-redirector  queue=rx  outdev=primary_in  takes guest output to colo-compare
          "tx" frames are sent by tap0 and walk the list head → tail;
          "rx" frames are sent by nic0 and walk it tail → head.
          Chardevs are in-memory recorders here. Each walk of a frame has an id (w1, w2 …).

        """
    }

    func step(_ title: String, _ action: () -> Void) {
        print(title)
        let before = log.events.count
        action()
        for event in log.events[before...] {
            print("  \(event)")
        }
        print("")
    }

    var summary: String {
        let counters = core.counters
        var lines = [
            "Afterwards:",
            "  chardev mirror0 (to the secondary) holds \(mirror0.records.count) records: \(sizes(mirror0.records.map(\.payload.count)))",
            "  chardev primary_in (to colo-compare) holds \(primaryIn.records.count) record: \(sizes(primaryIn.records.map(\.payload.count)))",
            "  the host network received \(wire.frames.count) frames: \(sizes(wire.frames.map(\.count)))",
            "  the guest received \(guest.frames.count) frames: \(sizes(guest.frames.map(\.count)))",
            "  walks \(counters.walks): delivered \(counters.delivered), taken by filters \(counters.stolen), dropped \(counters.totalDropped)",
        ]
        for (reason, count) in counters.nonZeroDrops {
            lines.append("    dropped \(count) × \(reason)")
        }
        return lines.joined(separator: "\n")
    }

    private func sizes(_ values: [Int]) -> String {
        values.isEmpty ? "none" : values.map { "\($0) B" }.joined(separator: ", ")
    }
}

/// Ethernet / IPv4 / TCP frames between a client (10.0.0.1:40000) and the guest (10.0.0.2:80),
/// with correct checksums so the bytes are a believable capture.
private enum DemoFrames {
    enum Flags: UInt8 {
        case syn = 0x02
        case synAck = 0x12
        case ack = 0x10
        case pshAck = 0x18
    }

    static func tcp(toGuest: Bool, sequence: UInt32, acknowledgement: UInt32, flags: Flags, payload: [UInt8] = []) -> Frame {
        let client: [UInt8] = [10, 0, 0, 1]
        let guest: [UInt8] = [10, 0, 0, 2]
        let (source, destination) = toGuest ? (client, guest) : (guest, client)
        let (sourcePort, destinationPort): (UInt16, UInt16) = toGuest ? (40_000, 80) : (80, 40_000)
        var segment = be16(sourcePort) + be16(destinationPort) + be32(sequence) + be32(acknowledgement)
        segment += [0x50, flags.rawValue] + be16(64_240) + [0, 0, 0, 0] + payload
        let pseudoHeader = source + destination + [0, 6] + be16(UInt16(segment.count))
        segment.replaceSubrange(16..<18, with: be16(InternetChecksum.checksum(pseudoHeader + segment)))
        var ip: [UInt8] = [0x45, 0] + be16(UInt16(20 + segment.count)) + [0, 1, 0x40, 0, 64, 6, 0, 0] + source + destination
        ip.replaceSubrange(10..<12, with: be16(InternetChecksum.checksum(ip)))
        let clientMAC: [UInt8] = [0x52, 0x54, 0, 0, 0, 1]
        let guestMAC: [UInt8] = [0x52, 0x54, 0, 0, 0, 2]
        let (sourceMAC, destinationMAC) = toGuest ? (clientMAC, guestMAC) : (guestMAC, clientMAC)
        return Frame(destinationMAC + sourceMAC + [0x08, 0x00] + ip + segment)
    }

    private static func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
    private static func be32(_ value: UInt32) -> [UInt8] { be16(UInt16(value >> 16)) + be16(UInt16(value & 0xFFFF)) }
}
