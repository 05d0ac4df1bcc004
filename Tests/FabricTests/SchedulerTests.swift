import Testing
@testable import Fabric

@Suite("Deterministic scheduler")
struct SchedulerTests {
    @Test("Events at the same instant run in scheduling order (stable tie-break)")
    func stableTieBreak() throws {
        let scheduler = Scheduler()
        var order: [Int] = []
        for index in 0..<200 {
            scheduler.schedule(at: .microseconds(5), EventLabel("e\(index)")) { order.append(index) }
        }
        scheduler.schedule(at: .microseconds(1), "first") {
            order.append(-1)
            // Scheduled now for the same instant as the others: runs after all of them.
            scheduler.schedule(at: .microseconds(5), "late") { order.append(1_000) }
        }
        try scheduler.runUntilIdle()
        #expect(order == [-1] + Array(0..<200) + [1_000])
    }

    @Test("The virtual clock moves only with events; run(until:) stops at the deadline and advances to it")
    func virtualClock() throws {
        let scheduler = Scheduler()
        var seen: [VirtualTime] = []
        for milliseconds: Int64 in [30, 10, 20] {
            scheduler.schedule(at: .milliseconds(milliseconds), "tick") { seen.append(scheduler.now) }
        }
        #expect(scheduler.now == .zero)
        try scheduler.run(until: .milliseconds(25))
        #expect(seen == [.milliseconds(10), .milliseconds(20)])
        #expect(scheduler.now == .milliseconds(25))
        #expect(scheduler.nextEventTime == .milliseconds(30))
        scheduler.schedule(after: .microseconds(1), "soon") { seen.append(scheduler.now) }
        try scheduler.runUntilIdle()
        #expect(seen.last == .milliseconds(30))
        #expect(seen[2] == VirtualTime(nanoseconds: 25_001_000))
        #expect(scheduler.now.milliseconds == 30)
        #expect(VirtualTime(nanoseconds: 1_999_999).milliseconds == 1)
        #expect(VirtualTime(nanoseconds: 1_999_999).microseconds == 1_999)
        #expect(VirtualTime.milliseconds(2).description == "0.002000000s")
    }

    @Test("A runaway simulation stops with budgetExhausted instead of hanging")
    func eventBudget() {
        let scheduler = Scheduler(eventBudget: 100)
        func again() { scheduler.schedule(after: .nanoseconds(1), "loop") { again() } }
        again()
        #expect(throws: SchedulerError.budgetExhausted(budget: 100, now: VirtualTime(nanoseconds: 100))) {
            try scheduler.runUntilIdle()
        }
        #expect(scheduler.executedEvents == 100)
        #expect(throws: SchedulerError.self) { try scheduler.step() }
    }

    @Test("runUntilIdle(limit:) throws limitReached and leaves the simulation usable")
    func perCallLimit() throws {
        let scheduler = Scheduler()
        for index in 0..<10 {
            scheduler.schedule(at: .nanoseconds(Int64(index)), "e") {}
        }
        #expect(throws: SchedulerError.limitReached(limit: 4, now: .nanoseconds(3))) {
            try scheduler.runUntilIdle(limit: 4)
        }
        try scheduler.runUntilIdle()
        #expect(scheduler.executedEvents == 10)
    }

    @Test("Scheduling in the past is reported as an error, not run")
    func schedulingInThePast() throws {
        let scheduler = Scheduler()
        try scheduler.run(until: .milliseconds(5))
        var ran = false
        scheduler.schedule(at: .milliseconds(1), "stale") { ran = true }
        #expect(throws: SchedulerError.scheduledInPast(label: "stale", requested: .milliseconds(1), now: .milliseconds(5))) {
            try scheduler.step()
        }
        #expect(!ran)
    }

    @Test("abort stops the run after the current event")
    func abortStops() {
        let scheduler = Scheduler()
        var after = false
        scheduler.schedule(at: .nanoseconds(1), "bad") { scheduler.abort("component failed") }
        scheduler.schedule(at: .nanoseconds(2), "after") { after = true }
        #expect(throws: SchedulerError.aborted(reason: "component failed", now: .nanoseconds(1))) {
            try scheduler.runUntilIdle()
        }
        #expect(!after)
    }

    @Test("Cancelled timers never run and do not count as pending")
    func timers() throws {
        let scheduler = Scheduler()
        var fired: [String] = []
        let keep = scheduler.scheduleTimer(at: .milliseconds(2), "keep") { fired.append("keep") }
        let drop = scheduler.scheduleTimer(at: .milliseconds(1), "drop") { fired.append("drop") }
        #expect(scheduler.pendingEventCount == 2)
        scheduler.cancel(drop)
        scheduler.cancel(drop)
        #expect(scheduler.pendingEventCount == 1)
        #expect(scheduler.nextEventTime == .milliseconds(2))
        try scheduler.runUntilIdle()
        #expect(fired == ["keep"])
        #expect(!keep.isPending && !keep.isCancelled)
        #expect(drop.isCancelled)
        scheduler.cancel(keep)
        #expect(scheduler.pendingEventCount == 0)
    }

    @Test("With chosen order, the chooser picks among simultaneous events; canonical keeps scheduling order")
    func chosenOrder() throws {
        func run(_ chooser: any Chooser) throws -> [Int] {
            let scheduler = Scheduler(chooser: chooser, simultaneousOrder: .chosen)
            var order: [Int] = []
            for index in 0..<4 {
                scheduler.schedule(at: .microseconds(1), EventLabel("e\(index)")) { order.append(index) }
            }
            scheduler.schedule(at: .microseconds(2), "later") { order.append(9) }
            try scheduler.runUntilIdle()
            return order
        }
        #expect(try run(CanonicalChooser()) == [0, 1, 2, 3, 9])
        #expect(try run(ReplayingChooser(decisions: [2, 0, 1])) == [2, 0, 3, 1, 9])
        let shuffled = try run(SeededChooser(seed: 3))
        #expect(shuffled.sorted() == [0, 1, 2, 3, 9])
        #expect(shuffled.last == 9)
    }

    @Test("Trace sink sees every event; the trace hash is FNV-1a over (time, label hash)")
    func traceAndHash() throws {
        let scheduler = Scheduler()
        let recorder = TraceRecorder()
        scheduler.traceSink = recorder
        scheduler.schedule(at: .nanoseconds(7), "b") {}
        scheduler.schedule(at: .nanoseconds(3), "a") {}
        try scheduler.runUntilIdle()
        #expect(recorder.lines == ["0 3 a", "1 7 b"])
        var expected = FNV1a64()
        expected.combine(UInt64(3))
        expected.combine(FNV1a64.hash("a"))
        expected.combine(UInt64(7))
        expected.combine(FNV1a64.hash("b"))
        #expect(scheduler.traceHash == expected.value)
    }

    @Test("Handler events run like closures and keep the same order")
    func handlerEvents() throws {
        final class Collector: EventHandler {
            var codes: [Int] = []
            func handleEvent(_ code: Int) { codes.append(code) }
        }
        let scheduler = Scheduler()
        let collector = Collector()
        scheduler.schedule(at: .nanoseconds(5), "h", handler: collector, code: 2)
        scheduler.schedule(at: .nanoseconds(5), "c") { collector.codes.append(3) }
        scheduler.schedule(after: .nanoseconds(1), "h", handler: collector, code: 1)
        try scheduler.runUntilIdle()
        #expect(collector.codes == [1, 2, 3])
    }

    @Test("The queue stays ordered through growth and slot reuse")
    func queueOrderUnderLoad() throws {
        let scheduler = Scheduler()
        var generator = Xoshiro256StarStar(seed: 77)
        var seen: [(Int64, Int)] = []
        var index = 0
        func add(_ count: Int) {
            for _ in 0..<count {
                let time = scheduler.now.nanoseconds + Int64(generator.next(upTo: 50))
                let mine = index
                index += 1
                scheduler.schedule(at: VirtualTime(nanoseconds: time), "x") {
                    seen.append((time, mine))
                    if mine % 3 == 0 { add(2) }
                }
            }
        }
        add(500)
        try scheduler.runUntilIdle(limit: 100_000)
        #expect(seen.count == index)
        for (earlier, later) in zip(seen, seen.dropFirst()) {
            #expect(earlier.0 <= later.0)
        }
    }
}
