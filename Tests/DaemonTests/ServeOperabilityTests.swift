import Foundation
import Glibc
import Testing
import Fabric
import Primary
import Daemon
import QEMUHarness

/// Counters, the decision log and the monitor of `lockstep serve`.
@Suite("serve: counters, decision log, monitor", .serialized)
struct ServeOperabilityTests {
    @Test("SIGUSR1 prints counters (pairs, releases, requests and drops by reason) and the daemon keeps serving")
    func countersOnSignal() throws {
        let rig = try CompareRig(.lockstep)
        let pri = try rig.connect("pri"), sec = try rig.connect("sec"), out = try rig.connect("out"), nfy = try rig.connect("nfy")
        try rig.waitUntilConnected(["pri", "sec", "out", "nfy"])
        let output = RecordCollector(out), requests = RecordCollector(nfy)
        let pair = ScenarioFrames.udp("same")
        try pri.sendAll(rig.record(pair))
        try sec.sendAll(rig.record(pair))
        try output.wait(what: "the pair") { $0.count == 1 }
        try pri.sendAll(rig.record(ScenarioFrames.udp("p", port: 7)))
        try rig.waitUntilRead(pri)
        try sec.sendAll(rig.record(ScenarioFrames.udp("s", port: 7)))
        try requests.wait(what: "DO_CHECKPOINT") { $0.count == 1 }
        rig.process.send(signal: SIGUSR1)
        let deadline = MonotonicClock.now + 5_000
        while !rig.stderr.contains("checkpoint requests") && MonotonicClock.now < deadline { usleep(10_000) }
        let text = rig.stderr
        #expect(text.contains("comp0: pairs 1; released 1 (matched 1)"), "\(text)")
        #expect(text.contains("comp0: dropped primary 0, secondary 1 (compared 1)"), "\(text)")
        #expect(text.contains("comp0: checkpoint requests 1 (no_match 1)"), "\(text)")
        #expect(text.contains("queued now: 1 primary, 1 secondary"), "\(text)")
        try pri.sendAll(rig.record(ScenarioFrames.marker(1)))
        try output.wait(what: "marker 1") { $0.count == 2 }
    }

    @Test("The JSON decision log has one `lockstep compare` object per decision; the JSON counters add up (nothing lost silently)")
    func decisionLogAndAccounting() throws {
        let logPath = "/tmp/lockstep-decisions-\(getpid()).jsonl"
        defer { unlink(logPath) }
        let rig = try CompareRig(.lockstep, lockstepOptions: ["--decision-log", logPath, "--decision-format", "json", "--counters-format", "json"])
        let pri = try rig.connect("pri"), sec = try rig.connect("sec"), out = try rig.connect("out"), nfy = try rig.connect("nfy")
        try rig.waitUntilConnected(["pri", "sec", "out", "nfy"])
        let output = RecordCollector(out)
        let frames = (0..<20).map { ScenarioFrames.udp("datagram \($0)", port: UInt16(100 + $0 % 4)) }
        for (index, frame) in frames.enumerated() {
            try pri.sendAll(rig.record(frame))
            if index % 3 != 0 { try sec.sendAll(rig.record(frame)) }
        }
        try rig.waitUntilRead(pri)
        try rig.waitUntilRead(sec)
        try nfy.sendAll(rig.record(Frame(NotifyProtocol.checkpoint)))
        try output.wait(what: "every primary") { $0.count == frames.count }
        rig.process.send(signal: SIGTERM)
        #expect(rig.process.wait(timeoutMs: 10_000) == 0)

        let lines = try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n")
        let objects = try lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let releases = objects.filter { $0["event"] as? String == "release" }
        #expect(releases.count == frames.count)
        #expect(Set(releases.compactMap { $0["primary_index"] as? Int }) == Set(0..<frames.count))
        #expect(objects.contains { $0["event"] as? String == "checkpoint" && $0["cause"] as? String == "notify_checkpoint" })
        #expect(lines.allSatisfy { $0.hasPrefix("{\"event\":") })

        let countersLine = try #require(rig.stderr.split(separator: "\n").last { $0.hasPrefix("{\"event\":\"counters\"") })
        let counters = try #require(JSONSerialization.jsonObject(with: Data(countersLine.utf8)) as? [String: Any])
        let released = try #require((counters["released"] as? [String: Any])?["total"] as? Int)
        let primaryDropped = try #require((counters["primary_dropped"] as? [String: Any])?["total"] as? Int)
        let secondaryDropped = try #require((counters["secondary_dropped"] as? [String: Any])?["total"] as? Int)
        #expect(counters["primary_records"] as? Int == frames.count)
        #expect(released + primaryDropped + (counters["primary_queued"] as? Int ?? -1) == frames.count)
        #expect(secondaryDropped + (counters["secondary_queued"] as? Int ?? -1) == counters["secondary_records"] as? Int)
        #expect(counters["records_written"] as? Int == frames.count)
    }

    @Test("The monitor answers garbage and unknown commands with QMP errors and keeps serving")
    func monitorErrors() throws {
        let rig = try CompareRig(.lockstep)
        let qmp = try rig.monitor.get()
        #expect(try qmp.execute("no-such-command").contains("CommandNotFound"))
        try qmp.socket.sendAll(Array("]]] not json\n".utf8))
        #expect(try qmp.readReply().contains("GenericError"), "one error for the garbage line")
        #expect(try qmp.execute("query-status").contains("\"running\": true"))
        #expect(try qmp.execute("object-del", arguments: #"{"id": "iot0"}"#).contains("in use"))
        #expect(try qmp.execute("query-version").contains("\"major\": 7"))
    }
}
