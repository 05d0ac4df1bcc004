import Testing
import Fabric
import QEMUHarness

/// Smoke tests of the colo-compare oracle, pinning QEMU 7.2 behaviour as recorded facts.
@Suite(
    "QEMU colo-compare oracle",
    .serialized,
    .enabled(if: QEMULocator.oracleTestsEnabled, Comment(rawValue: QEMULocator.skipMessage))
)
struct QEMUCompareOracleTests {
    let guest = Endpoint([10, 0, 0, 1], 80)
    let client = Endpoint([10, 0, 0, 9], 40_000)

    func udp(_ text: String, ipID: UInt16 = 0) -> Frame {
        CaseFrames.udp(from: guest, to: client, payload: Array(text.utf8), ipID: ipID)
    }

    func tcp(seq: UInt32, ack: UInt32 = 5_000, _ text: String = "", flags: TCPFlags = [.ack, .psh]) -> Frame {
        CaseFrames.tcp(from: guest, to: client, seq: seq, ack: ack, flags: flags, payload: Array(text.utf8))
    }

    @Test("C-3/C-4: an unparseable primary frame is forwarded at once; a secondary one vanishes")
    func unparseableFrames() throws {
        let oracle = try CompareOracle()
        defer { oracle.shutdown() }
        let arp = CaseFrames.arpRequest(senderIP: [10, 0, 0, 1], targetIP: [10, 0, 0, 9])
        #expect(try oracle.sendPrimary(arp) == CompareStepOutput(released: [arp]))
        #expect(try oracle.sendSecondary(arp) == CompareStepOutput())
        #expect(try oracle.checkpoint() == CompareStepOutput())
    }

    @Test("C-14/C-15: a UDP pair equal beyond the IP header releases the primary's bytes")
    func udpPairReleased() throws {
        let oracle = try CompareOracle()
        defer { oracle.shutdown() }
        let primary = udp("hello", ipID: 1)
        #expect(try oracle.sendPrimary(primary) == CompareStepOutput())
        #expect(try oracle.sendSecondary(udp("hello", ipID: 2)) == CompareStepOutput(released: [primary]))
    }

    @Test("C-18/C-27/C-26/C-20: a UDP mismatch sends DO_CHECKPOINT; COLO_CHECKPOINT flushes the primary")
    func udpMismatchThenFlush() throws {
        let oracle = try CompareOracle()
        defer { oracle.shutdown() }
        let primary = udp("AAAA")
        #expect(try oracle.sendPrimary(primary) == CompareStepOutput())
        #expect(try oracle.sendSecondary(udp("BBBB")) == CompareStepOutput(checkpointRequests: 1))
        #expect(try oracle.checkpoint() == CompareStepOutput(released: [primary]))
        #expect(try oracle.checkpoint() == CompareStepOutput())
    }

    @Test("C-14 (quirk): two UDP primaries before the secondary: newest tried first, checkpoint requested")
    func udpNewestFirst() throws {
        let oracle = try CompareOracle()
        defer { oracle.shutdown() }
        let first = udp("one")
        let second = udp("two")
        _ = try oracle.sendPrimary(first)
        _ = try oracle.sendPrimary(second)
        #expect(try oracle.sendSecondary(udp("one")) == CompareStepOutput(checkpointRequests: 1))
        // Now "two" (newest primary) finds "two" after skipping "one", then "one" matches "one".
        #expect(try oracle.sendSecondary(udp("two")) == CompareStepOutput(released: [second, first]))
    }

    @Test("C-26: COLO_USERSPACE_PROXY_INIT is answered; DO_CHECKPOINT needs no prior handshake")
    func xenInitHandshake() throws {
        let oracle = try CompareOracle()
        defer { oracle.shutdown() }
        _ = try oracle.sendPrimary(udp("x"))
        #expect(try oracle.sendSecondary(udp("y")).checkpointRequests == 1)
        let reply = try oracle.sendNotify(Array("COLO_USERSPACE_PROXY_INIT".utf8))
        #expect(reply == CompareStepOutput(otherNotifications: [Array("COLO_COMPARE_GET_XEN_INIT".utf8)]))
        #expect(try oracle.sendNotify(Array("SOMETHING_ELSE".utf8)) == CompareStepOutput())
        #expect(oracle.qemuStderr.contains("unsupported"))
    }

    @Test("C-11.1/C-10: identical TCP segments release the primary")
    func tcpSameSegment() throws {
        let oracle = try CompareOracle()
        defer { oracle.shutdown() }
        let primary = tcp(seq: 1_000, "abcdef")
        #expect(try oracle.sendPrimary(primary) == CompareStepOutput())
        #expect(try oracle.sendSecondary(tcp(seq: 1_000, "abcdef")) == CompareStepOutput(released: [primary]))
    }

    @Test("C-11.2/C-11.3: one primary segment matched by two secondary segments")
    func tcpResegmentation() throws {
        let oracle = try CompareOracle()
        defer { oracle.shutdown() }
        let primary = tcp(seq: 1_000, "abcdefgh")
        _ = try oracle.sendPrimary(primary)
        #expect(try oracle.sendSecondary(tcp(seq: 1_000, "abcd")) == CompareStepOutput())
        #expect(try oracle.sendSecondary(tcp(seq: 1_004, "efgh")) == CompareStepOutput(released: [primary]))
    }

    @Test("C-13: a pure primary ACK waits until some secondary packet of the connection arrives")
    func pureAckWaitsForSecondary() throws {
        let oracle = try CompareOracle()
        defer { oracle.shutdown() }
        let ack = tcp(seq: 1_000, flags: [.ack])
        #expect(try oracle.sendPrimary(ack) == CompareStepOutput())
        #expect(try oracle.sendSecondary(tcp(seq: 1_000, flags: [.ack])) == CompareStepOutput(released: [ack]))
    }

    @Test("C-6: a queue holds max_queue_size + 1 packets; further primaries are lost")
    func queueLimit() throws {
        let oracle = try CompareOracle(.init(maxQueueSize: 2))
        defer { oracle.shutdown() }
        let frames = (0..<4).map { udp("p\($0)") }
        for frame in frames { #expect(try oracle.sendPrimary(frame) == CompareStepOutput()) }
        // Flush takes newest first (C-20 with C-7 LIFO); the fourth never got in.
        #expect(try oracle.checkpoint() == CompareStepOutput(released: [frames[2], frames[1], frames[0]]))
    }

    @Test("W-1/W-4/C-1.6: with vnet_hdr_support, records and inbound notify carry V; DO_CHECKPOINT does not")
    func vnetHeaderRecords() throws {
        let oracle = try CompareOracle(.init(vnetHeaderSupport: true))
        defer { oracle.shutdown() }
        let header = [UInt8](repeating: 0, count: 12)
        let primary = CaseFrames.udp(from: guest, to: client, payload: Array("v".utf8), vnetHeader: header)
        let secondary = CaseFrames.udp(from: guest, to: client, payload: Array("v".utf8), vnetHeader: header)
        #expect(primary.vnetHeaderLength == 12)
        _ = try oracle.sendPrimary(primary)
        #expect(try oracle.sendSecondary(secondary) == CompareStepOutput(released: [primary]))
        _ = try oracle.sendPrimary(CaseFrames.udp(from: guest, to: client, payload: [1], vnetHeader: header))
        let mismatch = try oracle.sendSecondary(CaseFrames.udp(from: guest, to: client, payload: [2], vnetHeader: header))
        #expect(mismatch.checkpointRequests == 1)
        #expect(try oracle.checkpoint().released.count == 1)
    }

    @Test("P-1/W-13: in 7.2 a V above 20 already makes a frame unparseable (forwarded at once)")
    func oversizedVnetHeaderIsUnparseable() throws {
        let oracle = try CompareOracle(.init(vnetHeaderSupport: true))
        defer { oracle.shutdown() }
        let frame = CaseFrames.udp(from: guest, to: client, payload: [1], vnetHeader: [UInt8](repeating: 0, count: 21))
        #expect(try oracle.sendPrimary(frame) == CompareStepOutput(released: [frame]))
        let fits = CaseFrames.udp(from: guest, to: client, payload: [1], vnetHeader: [UInt8](repeating: 0, count: 20))
        #expect(try oracle.sendPrimary(fits) == CompareStepOutput())
    }

    @Test("P-1.3/P-1.4 (quirk): an 802.1ad-tagged IPv4 frame is parsed and compared, an 802.1Q one is not")
    func serviceTagIsParsed() throws {
        let oracle = try CompareOracle()
        defer { oracle.shutdown() }
        let inner = Array(udp("tag").bytes.dropFirst(14))
        let qinq = CaseFrames.ethernet(etherType: 0x88a8, payload: [0, 5, 0x08, 0x00] + inner)
        let dot1q = CaseFrames.ethernet(etherType: 0x8100, payload: [0, 5, 0x08, 0x00] + inner)
        #expect(try oracle.sendPrimary(qinq) == CompareStepOutput())
        #expect(try oracle.sendPrimary(dot1q) == CompareStepOutput(released: [dot1q]))
        #expect(try oracle.sendSecondary(qinq) == CompareStepOutput(released: [qinq]))
    }

    @Test("C-19: with a short compare_timeout a lone primary packet triggers DO_CHECKPOINT (wall clock)")
    func timeoutScan() throws {
        let configuration = CompareOracleConfiguration(compareTimeoutMilliseconds: 50, expiredScanCycleMilliseconds: 20)
        let oracle = try CompareOracle(configuration)
        defer { oracle.shutdown() }
        _ = try oracle.sendPrimary(udp("late"))
        let idle = try oracle.idle(milliseconds: 300)
        #expect(idle.released.isEmpty)
        #expect(idle.checkpointRequests >= 1)
    }

    @Test("W-7 (contradicts spec in 7.2): a zero-length record on primary_in or secondary_in aborts QEMU")
    func zeroLengthRecordAbortsQEMU() throws {
        for secondary in [false, true] {
            let error = try zeroLengthRecordError(secondary: secondary)
            guard case .qemuExited(let status, _, let stderr)? = error else {
                Issue.record("expected QEMU to abort (secondary: \(secondary)), got \(String(describing: error))")
                continue
            }
            #expect(status == "signal 6")
            #expect(stderr.contains("parse_packet_early"))
        }
    }

    /// An empty record is only finalised when more bytes arrive on the same socket (W-7): on
    /// primary_in the barrier marker supplies them, on secondary_in the next frame does.
    private func zeroLengthRecordError(secondary: Bool) throws -> OracleError? {
        let oracle = try CompareOracle()
        defer { oracle.shutdown() }
        do {
            if secondary {
                #expect(try oracle.sendSecondary(Frame([])) == CompareStepOutput())
                _ = try oracle.sendSecondary(udp("next"))
            } else {
                _ = try oracle.sendPrimary(Frame([]))
            }
            return nil
        } catch {
            return error
        }
    }
}
