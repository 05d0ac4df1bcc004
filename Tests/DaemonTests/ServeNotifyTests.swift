import Testing
import Fabric
import Primary
import Daemon
import QEMUHarness

/// The Xen notify protocol on a real notify_dev socket (§7.11).
@Suite("serve: notify_dev protocol (C-26, C-27, C-1.6)", .serialized)
struct ServeNotifyTests {
    @Test("C-26: COLO_USERSPACE_PROXY_INIT is answered with COLO_COMPARE_GET_XEN_INIT; anything else is ignored",
          arguments: CompareProgram.available)
    func proxyInit(_ program: CompareProgram) throws {
        try exchange(program, vnet: false)
    }

    @Test("C-1.6/W-4: with vnet_hdr_support inbound notify records carry V, the reply does not",
          arguments: CompareProgram.available)
    func proxyInitWithVnetField(_ program: CompareProgram) throws {
        try exchange(program, vnet: true)
    }

    private func exchange(_ program: CompareProgram, vnet: Bool) throws {
        let rig = try CompareRig(program, compareExtra: vnet ? ",vnet_hdr_support=on" : "")
        rig.vnet = vnet
        let pri = try rig.connect("pri"), out = try rig.connect("out"), nfy = try rig.connect("nfy")
        try rig.waitUntilConnected(["pri", "out", "nfy"])
        let replies = RecordCollector(nfy, vnetField: false)
        let output = RecordCollector(out, vnetField: vnet)
        try nfy.sendAll(rig.record(Frame(NotifyProtocol.proxyInit)) + rig.record(Frame(Array("HELLO".utf8))))
        try rig.waitUntilRead(nfy)
        try pri.sendAll(rig.record(ScenarioFrames.marker(1)))
        try output.wait(what: "marker 1") { !$0.isEmpty }
        try replies.wait(what: "the reply") { !$0.isEmpty }
        try replies.poll(timeoutMs: 100)
        #expect(replies.frames == [Frame(NotifyProtocol.proxyInitReply)], "\(program)")
        #expect(output.frames == [ScenarioFrames.marker(1)], "\(program)")
    }

    @Test("C-18/C-27: a mismatch sends DO_CHECKPOINT on notify_dev; COLO_CHECKPOINT flushes (C-20)",
          arguments: CompareProgram.available)
    func requestAndFlush(_ program: CompareProgram) throws {
        let rig = try CompareRig(program)
        let pri = try rig.connect("pri"), sec = try rig.connect("sec"), out = try rig.connect("out"), nfy = try rig.connect("nfy")
        try rig.waitUntilConnected(["pri", "sec", "out", "nfy"])
        let requests = RecordCollector(nfy)
        let output = RecordCollector(out)
        let p = ScenarioFrames.udp("primary says"), s = ScenarioFrames.udp("secondary says")
        try pri.sendAll(rig.record(p))
        try sec.sendAll(rig.record(s))
        try requests.wait(what: "DO_CHECKPOINT") { !$0.isEmpty }
        #expect(requests.take() == [Frame(NotifyProtocol.doCheckpoint)], "\(program)")
        try nfy.sendAll(rig.record(Frame(NotifyProtocol.checkpoint)))
        try output.wait(what: "the flushed primary") { !$0.isEmpty }
        #expect(output.frames == [p], "\(program)")
    }

    @Test("C-19 on the real clock: the scan raises DO_CHECKPOINT for a primary older than compare_timeout, once per cycle",
          arguments: CompareProgram.available)
    func timeoutScan(_ program: CompareProgram) throws {
        let rig = try CompareRig(program, compareExtra: ",compare_timeout=300,expired_scan_cycle=100")
        let pri = try rig.connect("pri"), nfy = try rig.connect("nfy")
        try rig.waitUntilConnected(["pri", "nfy"])
        let requests = RecordCollector(nfy)
        let sent = MonotonicClock.now
        try pri.sendAll(rig.record(ScenarioFrames.udp("nobody answers")))
        try requests.poll(timeoutMs: 150)
        #expect(requests.frames.isEmpty, "\(program): a request before the packet was old")
        try requests.wait(timeoutMs: 3_000, what: "DO_CHECKPOINT") { !$0.isEmpty }
        let first = MonotonicClock.now - sent
        #expect(first >= 300 && first < 1_500, "\(program): first request after \(first) ms")
        try requests.wait(timeoutMs: 3_000, what: "more requests") { $0.count >= 3 }
        #expect(requests.frames.allSatisfy { $0 == Frame(NotifyProtocol.doCheckpoint) })
    }
}
