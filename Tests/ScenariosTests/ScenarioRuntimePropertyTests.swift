import Testing
import Fabric
import Primary
import Deployment
import COLORuntime
import Scenarios

/// `set_compare_property`: qom-set on a running colo-compare.
@Suite("Run-time compare properties")
struct ScenarioRuntimePropertyTests {
    private let slowSecondary = """
        duration: 6s
        guests: {secondary: {processing_delay: 4s}}
        client: {workload: {connections: 1, requests: 1, response_size: 1024}}
        expect: {checkpoints: {min: 0}}
        """

    private func firstTimeout(_ text: String) throws -> VirtualTime? {
        let scenario = try ScenarioParser.parse(text, file: "property.yaml")
        let report = try #require(ScenarioRunner.run(scenario).report)
        return report.checkpoints.first { $0.trigger.token == "timeout" }?.requestedAt
    }

    @Test("C-19: compare_timeout shortened at run time catches a slow secondary at the next scan")
    func shortenedTimeout() throws {
        let plain = try #require(try firstTimeout(slowSecondary))
        let shortened = try #require(try firstTimeout(slowSecondary + """

            timeline:
              - {at: 200ms, set_compare_property: {property: compare_timeout, value: 500}}
            """))
        #expect(plain >= .milliseconds(3000))
        // The scan armed at start (1 s cycle) fires at 1 s and finds the packet older than 500 ms.
        #expect(shortened == .milliseconds(1000))
    }

    @Test("C-19: a new expired_scan_cycle applies from the next re-arm, the armed deadline stands")
    func scanCycleFromNextArm() throws {
        let shortened = try #require(try firstTimeout(slowSecondary + """

            timeline:
              - {at: 200ms, set_compare_property: {property: compare_timeout, value: 1100}}
              - {at: 200ms, set_compare_property: {property: expired_scan_cycle, value: 100}}
            """))
        // Scans at 1 s (packet younger than 1100 ms), then every 100 ms: 1.1 s, 1.2 s...
        #expect(shortened > .milliseconds(1000) && shortened <= .milliseconds(1300))
    }

    @Test("C-1: a zero value is refused as QEMU refuses it")
    func zeroRefused() {
        #expect(throws: ScenarioFileErrors.self) {
            try ScenarioParser.parse(slowSecondary + "\ntimeline: [{at: 0, set_compare_property: {property: max_queue_size, value: 0}}]\n", file: "p.yaml")
        }
        #expect(throws: ScenarioFileErrors.self) {
            try ScenarioParser.parse(slowSecondary + "\ntimeline: [{at: 0, set_compare_property: {property: vnet, value: 1}}]\n", file: "p.yaml")
        }
    }

    @Test("C-6: max_queue_size set on the running compare changes the process-global limit")
    func maxQueueSizeEngine() throws {
        var compare = COLOCompare(process: CompareProcess(), nowMs: 0)
        try compare.process.setMaxQueueSize(7)
        #expect(compare.process.maxQueueSize == 7)
        try compare.setCompareTimeout(250)
        try compare.setExpiredScanCycle(50)
        #expect(compare.configuration.compareTimeoutMs == 250)
        #expect(compare.configuration.expiredScanCycleMs == 50)
        #expect(throws: COLOComparePropertyError.self) { try compare.setCompareTimeout(1 << 32) }
    }
}
