import Glibc
import Testing
import Fabric
import Daemon
import QEMUHarness

/// The output path on real sockets (§7.10): a peer that stops reading, a peer that goes away.
@Suite("serve: output channels on real sockets (C-23..C-25)", .serialized)
struct ServeOutputTests {
    /// The order QEMU's drain produces after a stall in record `stalled`: what was written
    /// before it in call order, that record, then the rest newest first (C-24 quirk).
    static func newestFirstAfterStall(_ indices: [Int]) -> (matches: Bool, stalled: Int?) {
        let count = indices.count
        guard let firstOff = indices.indices.first(where: { indices[$0] != $0 }) else { return (true, nil) }
        let stalled = firstOff - 1
        guard stalled >= 0 else { return (false, nil) }
        let expected = Array(0...stalled) + Array((stalled + 1)..<count).reversed()
        return (indices == expected, stalled)
    }

    @Test("C-24: records released while outdev's peer does not read come out newest first after the one the write stalled in",
          arguments: CompareProgram.available)
    func stalledOutputDrainsNewestFirst(_ program: CompareProgram) throws {
        let rig = try CompareRig(program)
        let pri = try rig.connect("pri"), out = try rig.connect("out")
        try rig.waitUntilConnected(["pri", "out"])
        let count = 500
        var bytes: [UInt8] = []
        for index in 0..<count { bytes += rig.record(ScenarioFrames.marker(index, size: 2_000)) }
        try pri.sendAll(bytes)
        try rig.waitUntilRead(pri)
        usleep(200_000)
        let output = RecordCollector(out)
        try output.wait(what: "\(count) records") { $0.count >= count }
        let indices = output.frames.compactMap(ScenarioFrames.markerIndex)
        let (matches, stalled) = Self.newestFirstAfterStall(indices)
        #expect(matches, "\(program): order \(indices)")
        #expect(stalled.map { $0 < count - 2 } ?? false, "\(program): the peer never blocked (stall at \(String(describing: stalled)))")
    }

    @Test("C-25: records released while outdev is disconnected are lost; after the peer reconnects output flows again",
          arguments: CompareProgram.available)
    func outdevReconnect(_ program: CompareProgram) throws {
        let rig = try CompareRig(program)
        let pri = try rig.connect("pri"), first = try rig.connect("out")
        try rig.waitUntilConnected(["pri", "out"])
        let firstOutput = RecordCollector(first)
        try pri.sendAll(rig.record(ScenarioFrames.marker(1)))
        try firstOutput.wait(what: "marker 1") { $0 == [ScenarioFrames.marker(1)] }
        first.close()
        try waitUntilDisconnected(rig, "out")
        try pri.sendAll(rig.record(ScenarioFrames.marker(2)))
        try rig.waitUntilRead(pri)
        let second = try rig.connect("out")
        try rig.waitUntilConnected(["out"])
        let secondOutput = RecordCollector(second)
        try pri.sendAll(rig.record(ScenarioFrames.marker(3)))
        try secondOutput.wait(what: "marker 3") { $0.contains(ScenarioFrames.marker(3)) }
        #expect(secondOutput.frames == [ScenarioFrames.marker(3)], "\(program): marker 2 was written to nobody")
    }

    @Test("Queue limit (lockstep): a peer that never reads outdev pauses the inputs at --max-pending-output; nothing is lost")
    func backpressureBoundsMemory() throws {
        let rig = try CompareRig(.lockstep, lockstepOptions: ["--max-pending-output", "200"])
        let pri = try rig.connect("pri"), out = try rig.connect("out")
        try rig.waitUntilConnected(["pri", "out"])
        let count = 2_000
        var bytes: [UInt8] = []
        for index in 0..<count { bytes += rig.record(ScenarioFrames.marker(index, size: 1_500)) }
        // More than the sockets hold: the daemon stops reading once 200 records wait.
        var sent = 0
        let deadline = MonotonicClock.now + 3_000
        while sent < bytes.count && MonotonicClock.now < deadline {
            sent += try bytes[sent...].withUnsafeBytes { try pri.sendSome($0) }
            usleep(1_000)
        }
        #expect(sent < bytes.count, "the daemon kept reading although outdev is not read")
        #expect(rig.stderr.contains("pausing primary_in and secondary_in"), "\(rig.stderr)")
        let output = RecordCollector(out)
        while sent < bytes.count {
            try output.poll(timeoutMs: 5)
            sent += try bytes[sent...].withUnsafeBytes { try pri.sendSome($0) }
        }
        try output.wait(what: "every record") { $0.count >= count }
        #expect(Set(output.frames.compactMap(ScenarioFrames.markerIndex)) == Set(0..<count))
    }

    private func waitUntilDisconnected(_ rig: CompareRig, _ id: String) throws {
        let qmp = try rig.monitor.get()
        let deadline = MonotonicClock.now + 5_000
        while try rig.chardevFilenames(qmp)[id]?.hasPrefix("disconnected:") != true {
            if MonotonicClock.now >= deadline { throw RigError.failed("\(rig.program) never saw \(id) disconnect") }
            usleep(5_000)
        }
    }
}
