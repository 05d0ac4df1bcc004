import Glibc
import Testing
import Fabric
import Primary
import Daemon
import QEMUHarness

/// Framing on real sockets (§2), the same driver against QEMU 7.2 and `lockstep serve`: every
/// expectation holds for both programs, so each test is also a differential test.
@Suite("serve: framing on real sockets (W-7, W-9, W-10)", .serialized)
struct ServeFramingTests {
    /// L = 100 000 and 69 633 payload bytes: the copy that passes 69 632 collected bytes fails
    /// (W-5.3), and every byte sent has been read when it does.
    static let oversizedRecord: [UInt8] = [0x00, 0x01, 0x86, 0xa0] + Array(repeating: 0, count: 69_633)

    @Test("W-10: an oversized record on secondary_in abandons that input for good; primary_in and notify_dev keep serving",
          arguments: CompareProgram.available)
    func framingErrorOnSecondary(_ program: CompareProgram) throws {
        let rig = try CompareRig(program)
        let pri = try rig.connect("pri"), sec = try rig.connect("sec"), out = try rig.connect("out"), nfy = try rig.connect("nfy")
        try rig.waitUntilConnected(["pri", "sec", "out", "nfy"])
        let output = RecordCollector(out)
        let p0 = ScenarioFrames.udp("zero"), p1 = ScenarioFrames.udp("one")

        try pri.sendAll(rig.record(p0))
        try sec.sendAll(Self.oversizedRecord)
        try rig.waitUntilRead(sec)
        try sec.sendAll(rig.record(p0))
        try pri.sendAll(rig.record(p1) + rig.record(ScenarioFrames.marker(1)))
        try output.wait(what: "marker 1") { $0.contains(ScenarioFrames.marker(1)) }
        #expect(output.take() == [ScenarioFrames.marker(1)], "\(program): nothing matched, the secondary is not read")

        try nfy.sendAll(rig.record(Frame(NotifyProtocol.checkpoint)))
        try rig.waitUntilRead(nfy)
        try pri.sendAll(rig.record(ScenarioFrames.marker(2)))
        try output.wait(what: "marker 2") { $0.contains(ScenarioFrames.marker(2)) }
        // C-20: the flush releases the queued UDP primaries newest first (C-7 quirk).
        #expect(output.take() == [p1, p0, ScenarioFrames.marker(2)], "\(program)")
        #expect(sec.unreadOutgoingBytes > 0, "\(program): secondary_in must never be read again")
        #expect(rig.stderr.contains("secondary_in error"), "\(program) stderr: \(rig.stderr)")
    }

    @Test("W-10: an oversized record on primary_in abandons primary_in; notify_dev still flushes what was queued",
          arguments: CompareProgram.available)
    func framingErrorOnPrimary(_ program: CompareProgram) throws {
        let rig = try CompareRig(program)
        let pri = try rig.connect("pri"), out = try rig.connect("out"), nfy = try rig.connect("nfy")
        try rig.waitUntilConnected(["pri", "out", "nfy"])
        let output = RecordCollector(out)
        let p0 = ScenarioFrames.udp("queued")
        try pri.sendAll(rig.record(p0) + Self.oversizedRecord)
        try rig.waitUntilRead(pri)
        try pri.sendAll(rig.record(ScenarioFrames.marker(1)))
        try nfy.sendAll(rig.record(Frame(NotifyProtocol.checkpoint)))
        try rig.waitUntilRead(nfy)
        try output.wait(what: "the flushed primary") { !$0.isEmpty }
        try output.poll(timeoutMs: 300)
        #expect(output.take() == [p0], "\(program): the marker after the bad record is never read")
        #expect(pri.unreadOutgoingBytes > 0)
        #expect(rig.stderr.contains("primary_in error"), "\(program) stderr: \(rig.stderr)")
    }

    @Test("W-9: a record cut by a disconnect continues with the next connection's bytes", arguments: CompareProgram.available)
    func readerStateSurvivesReconnect(_ program: CompareProgram) throws {
        let rig = try CompareRig(program)
        let first = try rig.connect("pri"), out = try rig.connect("out")
        try rig.waitUntilConnected(["pri", "out"])
        let output = RecordCollector(out)
        let record = rig.record(ScenarioFrames.marker(7, size: 100))
        try first.sendAll(Array(record[0..<10]))
        try rig.waitUntilRead(first)
        first.close()
        // The listener keeps its backlog: this connection is accepted once the first one's end
        // has been seen.
        let second = try rig.connect("pri")
        try second.sendAll(Array(record[10...]) + rig.record(ScenarioFrames.marker(8)))
        try output.wait(what: "marker 8") { $0.contains(ScenarioFrames.marker(8)) }
        #expect(output.take() == [ScenarioFrames.marker(7, size: 100), ScenarioFrames.marker(8)], "\(program)")
    }

    @Test("W-7 (lockstep; QEMU 7.2 aborts on it): a zero-length primary record waits for the next byte, is dropped as empty_record, and serving goes on")
    func zeroLengthRecord() throws {
        let rig = try CompareRig(.lockstep)
        let pri = try rig.connect("pri"), out = try rig.connect("out")
        try rig.waitUntilConnected(["pri", "out"])
        let output = RecordCollector(out)
        try pri.sendAll([0, 0, 0, 0])
        try pri.sendAll(rig.record(ScenarioFrames.marker(1)))
        try output.wait(what: "marker 1") { $0.contains(ScenarioFrames.marker(1)) }
        #expect(output.take() == [ScenarioFrames.marker(1)])
        rig.process.send(signal: SIGTERM)
        #expect(rig.process.wait(timeoutMs: 10_000) == 0)
        #expect(rig.stderr.contains("dropped primary 1 (empty_record 1)"), "\(rig.stderr)")
    }
}
