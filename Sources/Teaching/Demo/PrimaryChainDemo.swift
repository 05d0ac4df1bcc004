import Fabric

/// `lockstep demo`, the quick start: the primary node's filter chain from QEMU's COLO
/// documentation (§10: tap0 with m0, redire0, redire1; nic0 as its peer), a few frames sent
/// through it, and what every hop did.
public enum PrimaryChainDemo {
    /// Everything the demo prints, step by step, then the counters.
    public static func transcript() throws -> String {
        let demo = try DemoChain()
        demo.write(DemoChain.topologyDescription)
        demo.step("1. A client opens a TCP connection: its SYN reaches the host's tap") {
            demo.core.send(DemoFrames.tcp(toGuest: true, sequence: 1000, acknowledgement: 0, flags: .syn), from: demo.tap)
        }
        demo.step("2. The guest answers SYN-ACK; on the primary its output goes to colo-compare first") {
            demo.core.send(DemoFrames.tcp(toGuest: false, sequence: 7000, acknowledgement: 1001, flags: [.syn, .ack]), from: demo.nic)
        }
        demo.step("3. colo-compare agrees with the secondary and releases the SYN-ACK; redire0 reads it") {
            demo.redire0.indevDidReceive(DemoFrames.tcp(toGuest: false, sequence: 7000, acknowledgement: 1001, flags: [.syn, .ack]))
        }
        demo.step("4. A checkpoint starts: the primary VM stops") {
            demo.core.setVMRunning(false)
        }
        demo.step("5. colo-compare is flushed during the checkpoint and releases a guest reply") {
            demo.redire0.indevDidReceive(
                DemoFrames.tcp(toGuest: false, sequence: 7001, acknowledgement: 1001, flags: [.psh, .ack], payload: Array("hello\n".utf8)))
        }
        let ack = DemoFrames.tcp(toGuest: true, sequence: 1001, acknowledgement: 7001, flags: .ack)
        demo.step("6. The client's ACK arrives at the host while the VM is stopped") {
            if !demo.core.canSend(demo.tap) {
                demo.write("  tap0 cannot send while the VM is stopped, so QEMU does not read it: the ACK waits in the host kernel")
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
        demo.write(demo.summary)
        return demo.output
    }
}

/// The chain with in-memory chardevs and recorders at both ends, and the transcript so far.
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
    private(set) var output = ""

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

    static let topologyDescription = """
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

    func write(_ line: String) {
        output += line
        output += "\n"
    }

    /// The step's title, every hop its action caused, and a blank line.
    func step(_ title: String, _ action: () -> Void) {
        write(title)
        let before = log.events.count
        action()
        for event in log.events[before...] {
            write("  \(event)")
        }
        write("")
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
