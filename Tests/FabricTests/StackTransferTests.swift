import Testing
@testable import Fabric

@Suite("Stack transfer")
struct StackTransferTests {
    @Test("default direct workload completes byte-exact")
    func defaultWorkload() throws {
        let report = try DirectRun.execute(DirectRunOptions())
        #expect(report.completed)
        #expect(report.connectionsCompleted == 4)
        #expect(report.requestsCompleted == 32)
        #expect(report.bodyMismatches == 0)
        #expect(report.retransmissions == 0)
        print(report)
    }
}
