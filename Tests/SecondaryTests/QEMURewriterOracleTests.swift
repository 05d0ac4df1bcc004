import Testing
import Fabric
import QEMUHarness

/// Smoke tests of the filter-rewriter oracle, pinning QEMU 7.2 behaviour as recorded facts.
@Suite(
    "QEMU filter-rewriter oracle",
    .serialized,
    .enabled(if: QEMULocator.oracleTestsEnabled, Comment(rawValue: QEMULocator.skipMessage))
)
struct QEMURewriterOracleTests {
    let guest = Endpoint([10, 0, 0, 1], 80)
    let client = Endpoint([10, 0, 0, 9], 40_000)
    // ISNs: client A, primary guest p0, secondary guest s0 (spec RW-12 worked example).
    let clientISN: UInt32 = 1_000
    let primaryISN: UInt32 = 7_000
    let secondaryISN: UInt32 = 0xffff_fff0  // the offset crosses 2^32

    func toGuest(seq: UInt32, ack: UInt32, _ flags: TCPFlags, _ text: String = "", ipOptions: [UInt8] = []) -> Frame {
        CaseFrames.tcp(from: client, to: guest, seq: seq, ack: ack, flags: flags, payload: Array(text.utf8), ipOptions: ipOptions)
    }

    func fromGuest(seq: UInt32, ack: UInt32, _ flags: TCPFlags, _ text: String = "", ipOptions: [UInt8] = []) -> Frame {
        CaseFrames.tcp(from: guest, to: client, seq: seq, ack: ack, flags: flags, payload: Array(text.utf8), ipOptions: ipOptions)
    }

    /// Client SYN, secondary guest SYN+ACK, client ACK: the offset s0 − p0 is learnt.
    func passiveHandshake(_ oracle: RewriterOracle) throws {
        let syn = toGuest(seq: clientISN, ack: 0, [.syn])
        #expect(try oracle.sendToGuest(syn) == RewriterStepOutput(toGuest: [syn]))
        let synAck = fromGuest(seq: secondaryISN, ack: clientISN + 1, [.syn, .ack])
        #expect(try oracle.sendFromGuest(synAck) == RewriterStepOutput(fromGuest: [synAck]))
        // The client acknowledges the *primary* guest's ISN; the rewriter maps it to s0 + 1.
        let ack = toGuest(seq: clientISN + 1, ack: primaryISN + 1, [.ack])
        let rewritten = toGuest(seq: clientISN + 1, ack: secondaryISN &+ 1, [.ack])
        #expect(try oracle.sendToGuest(ack) == RewriterStepOutput(toGuest: [rewritten]))
    }

    @Test("RW-12/RW-9/RW-11/RW-13: a passive handshake learns the offset; acks in and seqs out are rewritten")
    func passiveHandshakeRewrites() throws {
        let oracle = try RewriterOracle()
        defer { oracle.shutdown() }
        try passiveHandshake(oracle)
        let data = fromGuest(seq: secondaryISN &+ 1, ack: clientISN + 1, [.ack, .psh], "hello")
        let translated = fromGuest(seq: primaryISN + 1, ack: clientISN + 1, [.ack, .psh], "hello")
        #expect(try oracle.sendFromGuest(data) == RewriterStepOutput(fromGuest: [translated]))
        let reply = toGuest(seq: clientISN + 1, ack: primaryISN + 6, [.ack, .psh], "hi")
        let replyRewritten = toGuest(seq: clientISN + 1, ack: secondaryISN &+ 6, [.ack, .psh], "hi")
        #expect(try oracle.sendToGuest(reply) == RewriterStepOutput(toGuest: [replyRewritten]))
    }

    @Test("RW-2: non-TCP frames pass both ways untouched, one record per input")
    func nonTCPPassesThrough() throws {
        let oracle = try RewriterOracle()
        defer { oracle.shutdown() }
        let arp = CaseFrames.arpRequest(senderIP: [10, 0, 0, 1], targetIP: [10, 0, 0, 9])
        let udp = CaseFrames.udp(from: client, to: guest, payload: [1, 2, 3])
        #expect(try oracle.sendToGuest(arp) == RewriterStepOutput(toGuest: [arp]))
        #expect(try oracle.sendFromGuest(arp) == RewriterStepOutput(fromGuest: [arp]))
        #expect(try oracle.sendToGuest(udp) == RewriterStepOutput(toGuest: [udp]))
        #expect(try oracle.sendFromGuest(udp) == RewriterStepOutput(fromGuest: [udp]))
    }

    @Test("RW-15: a checkpoint resets the offset to 0; later segments pass unrewritten")
    func checkpointResetsOffset() throws {
        let oracle = try RewriterOracle()
        defer { oracle.shutdown() }
        try passiveHandshake(oracle)
        #expect(try oracle.checkpoint() == RewriterStepOutput())
        let data = fromGuest(seq: secondaryISN &+ 1, ack: clientISN + 1, [.ack], "x")
        #expect(try oracle.sendFromGuest(data) == RewriterStepOutput(fromGuest: [data]))
    }

    @Test("RW-14: an actively opened connection (guest SYN) never learns an offset")
    func activeOpenNoOffset() throws {
        let oracle = try RewriterOracle()
        defer { oracle.shutdown() }
        let syn = fromGuest(seq: secondaryISN, ack: 0, [.syn])
        #expect(try oracle.sendFromGuest(syn) == RewriterStepOutput(fromGuest: [syn]))
        let synAck = toGuest(seq: clientISN, ack: primaryISN + 1, [.syn, .ack])
        #expect(try oracle.sendToGuest(synAck) == RewriterStepOutput(toGuest: [synAck]))
        let data = fromGuest(seq: secondaryISN &+ 1, ack: clientISN + 1, [.ack], "guest")
        #expect(try oracle.sendFromGuest(data) == RewriterStepOutput(fromGuest: [data]))
    }

    @Test("RW-6/F-12/F-13/F-14: while the VM is stopped rewritten copies are held and leave after a later frame")
    func stoppedVMHoldsCopies() throws {
        let oracle = try RewriterOracle()
        defer { oracle.shutdown() }
        try passiveHandshake(oracle)
        #expect(try oracle.stopVM() == RewriterStepOutput())
        let held = toGuest(seq: clientISN + 1, ack: primaryISN + 1, [.ack, .psh], "held")
        #expect(try oracle.sendToGuest(held) == RewriterStepOutput())
        // VM start does not flush the rewriter's private queue.
        #expect(try oracle.resumeVM() == RewriterStepOutput())
        let next = toGuest(seq: clientISN + 5, ack: primaryISN + 1, [.ack, .psh], "next")
        let heldRewritten = toGuest(seq: clientISN + 1, ack: secondaryISN &+ 1, [.ack, .psh], "held")
        let nextRewritten = toGuest(seq: clientISN + 5, ack: secondaryISN &+ 1, [.ack, .psh], "next")
        #expect(try oracle.sendToGuest(next) == RewriterStepOutput(toGuest: [nextRewritten, heldRewritten]))
    }

    @Test("RW-13 (quirk): with IP options the rewritten checksum lands 20 bytes after the IP header")
    func ipOptionsChecksumQuirk() throws {
        let oracle = try RewriterOracle()
        defer { oracle.shutdown() }
        try passiveHandshake(oracle)
        let options: [UInt8] = [0x01, 0x01, 0x01, 0x00]  // NOP NOP NOP EOL
        let data = fromGuest(seq: secondaryISN &+ 1, ack: clientISN + 1, [.ack], "opt", ipOptions: options)
        let output = try oracle.sendFromGuest(data)
        let correct = fromGuest(seq: primaryISN + 1, ack: clientISN + 1, [.ack], "opt", ipOptions: options)
        // QEMU zeroes and fills the 2 bytes at "IP header + 20 + 16" (TCP offset 12-13 here:
        // data offset and flags), summing from IP header + 20 over (total length − IHL·4)
        // bytes; the real checksum field keeps the input's (now stale) value.
        let ethernet = 14
        let ipHeader = 20 + options.count
        let tcpLength = correct.count - ethernet - ipHeader
        var expected = correct.bytes
        let realChecksum = ethernet + ipHeader + 16
        expected[realChecksum] = data.bytes[realChecksum]
        expected[realChecksum + 1] = data.bytes[realChecksum + 1]
        let misplaced = ethernet + 20 + 16
        expected[misplaced] = 0
        expected[misplaced + 1] = 0
        var pseudo = Array(expected[(ethernet + 12)..<(ethernet + 20)]) + [0, 6]
        pseudo += [UInt8(tcpLength >> 8), UInt8(tcpLength & 0xff)]
        let summed = pseudo + Array(expected[(ethernet + 20)..<(ethernet + 20 + tcpLength)])
        let checksum = InternetChecksum.checksum(summed)
        expected[misplaced] = UInt8(checksum >> 8)
        expected[misplaced + 1] = UInt8(checksum & 0xff)
        #expect(output == RewriterStepOutput(fromGuest: [Frame(expected)]))
    }
}
