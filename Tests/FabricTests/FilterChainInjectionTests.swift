import Testing
@testable import Fabric

@Suite("Re-injection, pass-to-next (F-7)")
struct FilterChainInjectionTests {
    /// Four filters a, b, X, c on tap0; X injects.
    func chain(xQueue: FilterQueue) throws -> (TapAndNIC, FilterContext) {
        let setup = try TapAndNIC()
        try setup.addProbe("a")
        try setup.addProbe("b")
        try setup.addProbe("X", queue: xQueue)
        try setup.addProbe("c")
        return (setup, try #require(setup.core.filter(id: "X")))
    }

    @Test("F-7: queue=tx resumes after the filter, towards the tail, then reaches the NIC")
    func txResumesAfter() throws {
        let (setup, x) = try chain(xQueue: .tx)
        let outcome = try #require(x.passToNext(testFrame(1), nominalSender: setup.tap))
        #expect(setup.journal.calls.map(\.description) == ["c/tx"])
        #expect(outcome.fate == .delivered(to: "nic0"))
        #expect(setup.guest.frames == [testFrame(1)])
    }

    @Test("F-7: queue=rx resumes before the filter, towards the head, then reaches the netdev")
    func rxResumesBefore() throws {
        let (setup, x) = try chain(xQueue: .rx)
        let outcome = try #require(x.passToNext(testFrame(2), nominalSender: setup.nic))
        #expect(setup.journal.calls.map(\.description) == ["b/rx", "a/rx"])
        #expect(outcome.fate == .delivered(to: "tap0"))
        #expect(setup.wire.frames == [testFrame(2)])
    }

    @Test("F-7: queue=all picks tx when the nominal sender is the netdev, rx otherwise")
    func allPicksBySender() throws {
        let (setup, x) = try chain(xQueue: .all)
        x.passToNext(testFrame(3), nominalSender: setup.tap)
        x.passToNext(testFrame(4), nominalSender: setup.nic)
        #expect(setup.journal.calls.map(\.description) == ["c/tx", "b/rx", "a/rx"])
        #expect(setup.guest.frames == [testFrame(3)])
        #expect(setup.wire.frames == [testFrame(4)])
    }

    @Test("F-7: queue=tx with the NIC as nominal sender still walks tx order but delivers to the NIC's peer")
    func fixedDirectionWithOtherSender() throws {
        let (setup, x) = try chain(xQueue: .tx)
        let outcome = try #require(x.passToNext(testFrame(5), nominalSender: setup.nic))
        #expect(setup.journal.calls.map(\.description) == ["c/tx"])
        #expect(outcome.fate == .delivered(to: "tap0"))
    }

    @Test("F-7: a later filter can steal the re-injected frame; the stealer's result is returned")
    func stolenOnResume() throws {
        let setup = try TapAndNIC()
        try setup.addProbe("X", queue: .tx)
        try setup.addProbe("thief", behaviour: .steal(77))
        let x = try #require(setup.core.filter(id: "X"))
        let outcome = try #require(x.passToNext(testFrame(6), nominalSender: setup.tap))
        #expect(outcome.fate == .stolen(by: "thief", sendResult: 77))
        #expect(outcome.returnValue == 77)
        #expect(setup.guest.frames.isEmpty)
    }

    @Test("F-7: no nominal sender, or a sender without peer, drops the frame (counted) and reports the full size")
    func noPeerDrops() throws {
        let core = NetCore()
        let log = NetHopLog()
        core.eventSink = log
        let lonely = try core.addNetdev(name: "tap0")
        let journal = ProbeJournal()
        try core.addFilter(ProbeFilter(journal: journal), options: FilterOptions(id: "X", netdev: "tap0"))
        try core.addFilter(ProbeFilter(journal: journal), options: FilterOptions(id: "after", netdev: "tap0"))
        let x = try #require(core.filter(id: "X"))
        let viaNetdev = try #require(x.passToNext(testFrame(7, count: 50), nominalSender: lonely))
        let viaNobody = try #require(x.passToNext(testFrame(8, count: 51), nominalSender: lonely.peer))
        #expect(viaNetdev.fate == .dropped(.noReceiverForInjection))
        #expect(viaNetdev.returnValue == 50)
        #expect(viaNobody.fate == .dropped(.noReceiverForInjection))
        #expect(viaNobody.returnValue == 51)
        #expect(journal.calls.isEmpty, "no filter sees a frame that has nowhere to go")
        #expect(core.counters.dropped(.noReceiverForInjection) == 2)
        #expect(log.events.contains(.injectionStarted(viaNobody.walk, filter: "X", nominalSender: nil, direction: nil, frame: testFrame(8, count: 51))))
    }

    @Test("F-7: re-injected frames skip filters that are off or do not see the direction")
    func skipRulesApply() throws {
        let setup = try TapAndNIC()
        try setup.addProbe("X", queue: .tx)
        try setup.addProbe("off", status: .off)
        try setup.addProbe("rxOnly", queue: .rx)
        try setup.addProbe("last", queue: .tx)
        let x = try #require(setup.core.filter(id: "X"))
        x.passToNext(testFrame(9), nominalSender: setup.tap)
        #expect(setup.journal.visited == ["last"])
    }

    @Test("F-7 / T-3: a filter that steals and re-injects a modified frame lets later filters see the modification")
    func stealAndReinject() throws {
        let setup = try TapAndNIC()
        try setup.addProbe("early", queue: .rx)
        try setup.addProbe("rew0", queue: .all, behaviour: .stealAndReinject { Frame($0.bytes.map { $0 ^ 0xFF }) })
        let outcome = setup.core.send(testFrame(10), from: setup.nic)
        #expect(outcome.fate == .stolen(by: "rew0", sendResult: 64))
        let modified = Frame(testFrame(10).bytes.map { $0 ^ 0xFF })
        #expect(setup.journal.calls.map(\.description) == ["rew0/rx", "early/rx"])
        #expect(setup.journal.calls.last?.bytes == modified.bytes)
        #expect(setup.wire.frames == [modified])
        setup.expectEveryWalkAccountedFor()
    }

    @Test("F-7: a filter deleted before it injects has no neighbours: the frame goes straight to the peer")
    func deletedFilterInjects() throws {
        let (setup, x) = try chain(xQueue: .tx)
        try setup.core.removeFilter(id: "X")
        #expect(x.passToNext(testFrame(11), nominalSender: setup.tap)?.fate == .delivered(to: "nic0"))
        #expect(setup.journal.calls.isEmpty)
    }
}
