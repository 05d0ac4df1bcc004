import Testing
@testable import Fabric
@testable import GuestStack

/// The pipelined client workload (used by the `ack-gate-pipelined` scenario): requests go out
/// `thinkTime` apart without waiting for responses, and responses are read in order.
@Suite("Pipelined client workload")
struct PipelinedWorkloadTests {
    /// When TCP segments carrying data went out toward the guest (requests) or from it (responses).
    private func dataFrames(_ log: [(at: VirtualTime, towardB: Bool, frame: Frame)], towardGuest: Bool) -> [VirtualTime] {
        log.filter { entry in
            let text = PacketSummary.describe(entry.frame)
            return entry.towardB == towardGuest && text.contains("Flags [") && !text.hasSuffix("length 0")
        }.map(\.at)
    }

    @Test("the second request leaves before the first response, and both responses complete in order")
    func requestsOverlapResponses() throws {
        var workload = WorkloadConfiguration(server: HostNetwork.guestAddress)
        workload.requestsPerConnection = 2
        workload.thinkTime = .milliseconds(15)
        workload.pipelined = true
        workload.responseSize = 1_000
        var pair = HostPair(a: Hosts.client([ConnectionWorkload(workload)], configure: { $0.tcp.nagle = false }),
                            b: Hosts.guest([RequestResponseServer()], knobs: DivergenceKnobs(processingDelay: .milliseconds(40))),
                            chooser: SeededChooser(seed: 5))
        pair.start()
        pair.run(until: .seconds(2))
        let report = try #require(pair.a.application(0, as: ConnectionWorkload.self)?.reports.first)
        #expect(report.requestsCompleted == 2)
        #expect(report.error == nil)
        #expect(report.firstBodyMismatch == nil)
        let requests = dataFrames(pair.log, towardGuest: true)
        let responses = dataFrames(pair.log, towardGuest: false)
        #expect(requests.count == 2)
        let firstResponse = try #require(responses.first)
        #expect(requests[1] - requests[0] == .milliseconds(15))
        #expect(requests[1] < firstResponse)
    }

    @Test("not pipelined, the second request waits for the first response")
    func sequentialWaitsForResponse() throws {
        var workload = WorkloadConfiguration(server: HostNetwork.guestAddress)
        workload.requestsPerConnection = 2
        workload.thinkTime = .milliseconds(15)
        var pair = HostPair(a: Hosts.client([ConnectionWorkload(workload)], configure: { $0.tcp.nagle = false }),
                            b: Hosts.guest([RequestResponseServer()], knobs: DivergenceKnobs(processingDelay: .milliseconds(40))),
                            chooser: SeededChooser(seed: 5))
        pair.start()
        pair.run(until: .seconds(2))
        let requests = dataFrames(pair.log, towardGuest: true)
        let firstResponse = try #require(dataFrames(pair.log, towardGuest: false).first)
        #expect(requests.count == 2)
        #expect(requests[1] > firstResponse)
    }
}
