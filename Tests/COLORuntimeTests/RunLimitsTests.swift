import Testing
@testable import Fabric
@testable import GuestStack
@testable import COLORuntime

/// Issue #19, what a run accepts: every time within 100 days (so no sum of times overflows the
/// nanosecond clock), x-checkpoint-delay in QEMU's whole milliseconds, events within the run;
/// and `RunCost`, which prices a configuration before it runs.
@Suite("COLO run limits and cost")
struct RunLimitsTests {
    /// A configuration with one value outside its range, and the start of its error.
    static func outside(_ index: Int) -> (String, COLORunConfiguration) {
        var c = COLORunConfiguration()
        switch index {
        case 0: c.controller.checkpointDelay = .nanoseconds(1); return ("x-checkpoint-delay = 1e-06 ms is invalid: must be whole milliseconds", c)
        case 1: c.controller.checkpointDelay = .nanoseconds(1_500_000); return ("x-checkpoint-delay = 1.5 ms is invalid", c)
        case 2: c.timeline = [TimelineEvent(at: .milliseconds(10), .setCheckpointDelay(.nanoseconds(10)))]
            return ("timeline[0] (set_checkpoint_delay) = 1e-05 ms is invalid: must be whole milliseconds", c)
        case 3: c.timeline = [TimelineEvent(at: .seconds(101 * 86_400), .losePrimary)]
            return ("timeline[0] (lose_primary) = 8726400000.0 ms is invalid: its time must be at most 100 days", c)
        case 4: c.clientLink.latency = .nanoseconds(Int64.max / 2); return ("client link latency = ", c)
        case 5: c.duration = .seconds(100 * 86_400 + 1); return ("duration = ", c)
        case 6: c.workload.connections = 1 << 32; return ("connections = 4294967296 is invalid: must be between 1 and 100000", c)
        case 7: c.workload.responseSize = 1 << 40; return ("response size = 1099511627776 bytes is invalid", c)
        default: c.secondaryKnobs.processingDelay = .nanoseconds(-1); return ("secondary processing delay = ", c)
        }
    }

    @Test("Values outside their range are refused before the run, naming the parameter", arguments: 0..<9)
    func outsideRange(_ index: Int) {
        let (message, configuration) = Self.outside(index)
        do {
            try configuration.validate()
            Issue.record("accepted")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        }
    }

    @Test("The default and library-sized runs are affordable; the estimate is the same every time")
    func ordinaryRunsAffordable() {
        let cost = RunCost(.defaultScenario)
        #expect(cost.refusal == nil)
        #expect(cost.events > 0 && cost.events < 1_000_000)
        #expect(RunCost(.defaultScenario) == cost)
    }

    @Test("Moving more than 256 MiB is refused with the bytes asked for")
    func tooManyBytes() throws {
        var configuration = COLORunConfiguration()
        configuration.workload.connections = 1_000
        configuration.workload.responseSize = 1_000_000
        let refusal = try #require(RunCost(configuration).refusal)
        #expect(refusal.hasPrefix("its workload asks to move 50.0 GB"), "\(refusal)")
    }

    @Test("Tiny checkpoint cycles over a long run are refused with their events; a low event budget bounds the run instead")
    func tooManyEvents() throws {
        var configuration = COLORunConfiguration()
        configuration.duration = .seconds(86_400)
        configuration.controller.checkpointDelay = .milliseconds(1)
        let refusal = try #require(RunCost(configuration).refusal)
        #expect(refusal.contains("scheduler events") && refusal.contains("most of it the checkpoints (every 1ms)"), "\(refusal)")
        configuration.watchdog.maxEvents = 1_000_000
        #expect(RunCost(configuration).refusal == nil)
    }

    @Test("Connections beyond what the duration can start are not charged")
    func connectionsBoundByDuration() {
        var configuration = COLORunConfiguration()
        configuration.duration = .seconds(1)
        configuration.workload.connectionInterval = .milliseconds(10)
        configuration.workload.connections = 100_000
        configuration.workload.requestsPerConnection = 1
        let (started, _, _) = RunCost.extent(of: configuration.workload, within: configuration.duration)
        #expect(started == 101)
    }
}
