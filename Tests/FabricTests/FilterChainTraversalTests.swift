import Testing
@testable import Fabric

struct QueueTriple: Sendable, CustomStringConvertible {
    var queues: [FilterQueue]
    var description: String { queues.map(\.description).joined(separator: ",") }

    static let all: [QueueTriple] = FilterQueue.allCases.flatMap { a in
        FilterQueue.allCases.flatMap { b in FilterQueue.allCases.map { c in QueueTriple(queues: [a, b, c]) } }
    }
}

enum Flow: String, Sendable, CaseIterable, CustomStringConvertible {
    /// tap0 sends: only tap0's own list, direction tx, head → tail.
    case netdevToNIC
    /// nic0 sends: only tap0's list (the peer's), direction rx, tail → head.
    case nicToNetdev
    var description: String { rawValue }
}

@Suite("Filter chain traversal (F-3, F-5, F-6)")
struct FilterChainTraversalTests {
    static let ids = ["f0", "f1", "f2"]

    @Test("F-3/F-5/F-6: three-filter chain, every queue= combination, both directions, with stealing and status off",
          arguments: QueueTriple.all, Flow.allCases)
    func traversalTable(triple: QueueTriple, flow: Flow) throws {
        let direction: NetDirection = flow == .netdevToNIC ? .tx : .rx
        let walkOrder = direction == .tx ? [0, 1, 2] : [2, 1, 0]
        for stealer in [nil, 0, 1, 2] as [Int?] {
            for disabled in [nil, 0, 1, 2] as [Int?] {
                let setup = try TapAndNIC()
                for index in 0..<3 {
                    try setup.addProbe(
                        Self.ids[index], queue: triple.queues[index],
                        behaviour: stealer == index ? .steal(1000 + index) : .pass,
                        status: disabled == index ? .off : .on)
                }
                let frame = testFrame(7)
                let sender = flow == .netdevToNIC ? setup.tap : setup.nic
                let outcome = setup.core.send(frame, from: sender)

                // The rule, restated: walk in order, skip off filters and queue mismatches,
                // stop at the first invoked stealer.
                var expectedVisits: [String] = []
                var expectedThief: Int?
                for index in walkOrder where disabled != index && triple.queues[index].sees(direction) {
                    expectedVisits.append(Self.ids[index])
                    if stealer == index {
                        expectedThief = index
                        break
                    }
                }
                let context = "queues=\(triple) flow=\(flow) stealer=\(String(describing: stealer)) off=\(String(describing: disabled))"
                #expect(setup.journal.visited == expectedVisits, "\(context)")
                #expect(setup.journal.calls.allSatisfy { $0.direction == direction }, "\(context)")
                let receiver = flow == .netdevToNIC ? setup.guest : setup.wire
                if let thief = expectedThief {
                    #expect(outcome.fate == .stolen(by: Self.ids[thief], sendResult: 1000 + thief), "\(context)")
                    #expect(outcome.returnValue == 1000 + thief, "\(context)")
                    #expect(receiver.frames.isEmpty, "\(context)")
                } else {
                    #expect(outcome.fate == .delivered(to: flow == .netdevToNIC ? "nic0" : "tap0"), "\(context)")
                    #expect(receiver.frames == [frame], "\(context)")
                }
                let skips = setup.log.events.filter {
                    if case .filterSkipped = $0 { return true } else { return false }
                }
                #expect(skips.count + expectedVisits.count == (expectedThief.map { walkOrder.firstIndex(of: $0)! + 1 } ?? 3), "\(context)")
                setup.expectEveryWalkAccountedFor()
            }
        }
    }

    @Test("F-5: a filter that is off is skipped and recorded as such")
    func statusOffSkipEvent() throws {
        let setup = try TapAndNIC()
        try setup.addProbe("f0", queue: .tx, status: .off)
        let outcome = setup.core.send(testFrame(1), from: setup.tap)
        #expect(outcome.fate == .delivered(to: "nic0"))
        #expect(setup.journal.calls.isEmpty)
        #expect(setup.log.events.contains(.filterSkipped(outcome.walk, filter: "f0", direction: .tx, reason: .statusOff)))
    }

    @Test("F-6: the stealing filter's return value goes back to the sender, later filters never see the frame")
    func stealReturnValue() throws {
        let setup = try TapAndNIC()
        try setup.addProbe("a")
        try setup.addProbe("b", behaviour: .steal(-32))
        try setup.addProbe("c")
        let outcome = setup.core.send(testFrame(2), from: setup.tap)
        #expect(outcome.returnValue == -32)
        #expect(setup.journal.visited == ["a", "b"])
        #expect(setup.core.counters.stolen == 1)
    }

    @Test("F-3: a link-down sender's frame is dropped before filters, reported as sent and counted")
    func senderLinkDown() throws {
        let setup = try TapAndNIC()
        try setup.addProbe("a")
        setup.tap.isLinkDown = true
        let outcome = setup.core.send(testFrame(3, count: 90), from: setup.tap)
        #expect(outcome.fate == .dropped(.senderLinkDown))
        #expect(outcome.returnValue == 90)
        #expect(setup.journal.calls.isEmpty)
        #expect(setup.core.counters.dropped(.senderLinkDown) == 1)
        setup.expectEveryWalkAccountedFor()
    }

    @Test("F-3: a sender without a peer drops the frame, counted")
    func senderWithoutPeer() throws {
        let core = NetCore()
        let lonely = try core.addNetdev(name: "tap9")
        let outcome = core.send(testFrame(4), from: lonely)
        #expect(outcome.fate == .dropped(.senderHasNoPeer))
        #expect(core.counters.dropped(.senderHasNoPeer) == 1)
    }

    @Test("F-3: a link-down receiver silently swallows the frame; we count it")
    func receiverLinkDown() throws {
        let setup = try TapAndNIC()
        setup.nic.isLinkDown = true
        let outcome = setup.core.send(testFrame(5), from: setup.tap)
        #expect(outcome.fate == .dropped(.receiverLinkDown))
        #expect(outcome.returnValue == 64)
        #expect(setup.guest.frames.isEmpty)
        #expect(setup.core.counters.dropped(.receiverLinkDown) == 1)
    }

    @Test("F-4: 69 632 bytes pass, 69 633 are dropped before any filter, reported as sent and counted")
    func oversizeFrames() throws {
        let setup = try TapAndNIC()
        try setup.addProbe("a")
        let fits = setup.core.send(Frame([UInt8](repeating: 1, count: 69_632)), from: setup.tap)
        #expect(fits.fate == .delivered(to: "nic0"))
        let tooBig = setup.core.send(Frame([UInt8](repeating: 1, count: 69_633)), from: setup.nic)
        #expect(tooBig.fate == .dropped(.oversize))
        #expect(tooBig.returnValue == 69_633)
        #expect(setup.journal.calls.count == 1)
        #expect(setup.core.counters.dropped(.oversize) == 1)
        setup.expectEveryWalkAccountedFor()
    }

    @Test("F-3: filters attach to backends only, so a NIC's own list is empty and both walks use the netdev's list")
    func nicHasNoFilters() throws {
        let setup = try TapAndNIC()
        try setup.addProbe("a", queue: .all)
        setup.core.send(testFrame(1), from: setup.tap)
        setup.core.send(testFrame(2), from: setup.nic)
        #expect(setup.nic.filters.isEmpty)
        #expect(setup.journal.calls.map(\.description) == ["a/tx", "a/rx"])
        #expect(setup.journal.calls.map(\.sender) == ["tap0", "nic0"])
    }

    @Test("Every hop is an explicit event: sent, skipped, passed, stolen, delivered")
    func hopEvents() throws {
        let setup = try TapAndNIC()
        try setup.addProbe("a", queue: .rx)
        try setup.addProbe("b", queue: .tx)
        let walk = setup.core.send(testFrame(1), from: setup.tap).walk
        #expect(setup.log.events(of: walk) == [
            .sendStarted(walk, sender: "tap0", frame: testFrame(1)),
            .filterSkipped(walk, filter: "a", direction: .tx, reason: .queueMismatch(.rx)),
            .filterPassed(walk, filter: "b", direction: .tx),
            .delivered(walk, client: "nic0", fromQueue: false),
        ])
    }
}
