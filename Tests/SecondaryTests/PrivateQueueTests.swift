import Testing
@testable import Fabric
@testable import Secondary

@Suite("Private queue (RW-6 with F-12..F-14, RW-16)")
struct PrivateQueueTests {
    let open = PassiveOpen()
    var flow: Flow { open.flow }

    func established(profile: RewriterProfile = .upstream, capacity: Int = RewriterQueue.defaultCapacity) -> QueuedRewriter {
        var engine = FilterRewriter(profile: profile)
        open.run(&engine)
        return QueuedRewriter(engine: engine, queueCapacity: capacity)
    }

    func data(_ n: UInt32) -> Frame { flow.toGuest(seq: open.c0 + 1 + n, ack: open.p0 + 1, .ack, payload: [UInt8(truncatingIfNeeded: n)]) }

    @Test("RW-5/RW-6: while the sender can send, each copy continues at once")
    func immediate() {
        var rewriter = established()
        let step = rewriter.receive(data(0), from: .netdev, senderCanSend: true)
        #expect(step.continuing.count == 1)
        #expect(step.continuing.first?.frame.ack == open.s0 + 1)
        #expect(step.continuing.first?.sender == .netdev)
        #expect(step.queueEvents.isEmpty)
    }

    @Test("RW-6: copies made while the VM is stopped wait; VM start releases nothing; a later copy releases them after itself")
    func heldUntilLaterFrame() {
        var rewriter = established()
        let first = rewriter.receive(data(0), from: .netdev, senderCanSend: false)
        let second = rewriter.receive(data(1), from: .netdev, senderCanSend: false)
        #expect(first.continuing.isEmpty && second.continuing.isEmpty)
        #expect(second.queueEvents == [.held(sender: .netdev, depth: 2)])
        #expect(rewriter.vmStarted().released.isEmpty)
        // A frame that passes through (not TCP) does not touch the queue.
        let udp = flow.builder(from: flow.client, to: flow.guest).udp(sourcePort: 1, destinationPort: 2, payload: [1])
        let passed = rewriter.receive(udp, from: .netdev, senderCanSend: true)
        #expect(passed.continuing.map(\.frame) == [udp])
        #expect(rewriter.queue.held.count == 2)
        // The next handled frame goes first, then the held copies in arrival order (F-13).
        let third = rewriter.receive(data(2), from: .netdev, senderCanSend: true)
        #expect(third.continuing.map { $0.frame.seq } == [open.c0 + 3, open.c0 + 1, open.c0 + 2])
        #expect(third.queueEvents == [.released(count: 2, cause: .laterCopy)])
        #expect(rewriter.queue.held.isEmpty)
    }

    @Test("RW-6/K-8: held copies keep the rewrite computed with the offset in force when they were processed")
    func heldCopiesKeepOldOffset() {
        var rewriter = established()
        _ = rewriter.receive(data(0), from: .netdev, senderCanSend: false)
        _ = rewriter.checkpoint()
        let after = rewriter.receive(data(1), from: .netdev, senderCanSend: true)
        #expect(after.continuing.map(\.frame.ack) == [open.p0 + 1, open.s0 + 1])
    }

    @Test("RW-6: copies from both senders share the queue and keep their own sender")
    func bothSenders() {
        var rewriter = established()
        _ = rewriter.receive(flow.fromGuest(seq: open.s0 + 1, ack: open.c0 + 1, .ack), from: .nic, senderCanSend: false)
        let step = rewriter.receive(data(0), from: .netdev, senderCanSend: true)
        #expect(step.continuing.map(\.sender) == [.netdev, .nic])
        #expect(step.continuing.last?.frame.seq == open.p0 + 1)
    }

    @Test("F-12: at most 10 000 copies are held; the rest are dropped and counted")
    func capacity() {
        var rewriter = established()
        for n in 0..<10_002 {
            _ = rewriter.receive(data(UInt32(n)), from: .netdev, senderCanSend: false)
        }
        #expect(rewriter.queue.held.count == 10_000)
        #expect(rewriter.queue.droppedCount == 2)
        var small = established(capacity: 1)
        _ = small.receive(data(0), from: .netdev, senderCanSend: false)
        let dropped = small.receive(data(1), from: .netdev, senderCanSend: false)
        #expect(dropped.queueEvents == [.dropped(sender: .netdev, totalDropped: 1)])
        #expect(dropped.outcome.wasStolen)  // stolen by the engine, then dropped by the queue: counted
    }

    @Test("RW-16: deleting the rewriter flushes every held copy, in order")
    func deletionFlushes() {
        var rewriter = established()
        _ = rewriter.receive(data(0), from: .netdev, senderCanSend: false)
        _ = rewriter.receive(data(1), from: .nic, senderCanSend: false)
        let flushed = rewriter.delete()
        #expect(flushed.released.map(\.sender) == [.netdev, .nic])
        #expect(flushed.events == [.released(count: 2, cause: .deletion)])
        #expect(rewriter.queue.held.isEmpty)
    }

    @Test("Fixed (F-13/F-14 off): VM start releases held copies; later copies queue behind older ones")
    func fixedQueue() {
        var rewriter = established(profile: .fixed)
        _ = rewriter.receive(data(0), from: .netdev, senderCanSend: false)
        let started = rewriter.vmStarted()
        #expect(started.released.map(\.frame.seq) == [open.c0 + 1])
        #expect(started.events == [.released(count: 1, cause: .vmStarted)])
        _ = rewriter.receive(data(1), from: .netdev, senderCanSend: false)
        let next = rewriter.receive(data(2), from: .netdev, senderCanSend: true)
        #expect(next.continuing.map(\.frame.seq) == [open.c0 + 2, open.c0 + 3])
    }
}
