import Testing
import Primary
import Benchmarks

@Suite("benchmark workloads do the work they claim")
struct CompareBenchmarkWorkloadTests {
    @Test("UDP: every pair of 64-byte datagrams over 64 flows is matched", arguments: CompareProfile.all)
    func udpPairs(profile: CompareProfile) {
        let workload = CompareBenchmarks.makeUDPWorkload(pairs: 5_000)
        #expect(workload.primary.count == 64)
        #expect(CompareBenchmarks.runUDPMatchedPairs(workload, profile: profile) == 5_000)
    }

    @Test("TCP: every 1448-byte primary segment is matched against differently cut secondary segments", arguments: CompareProfile.all)
    func tcpResegmented(profile: CompareProfile) {
        let workload = CompareBenchmarks.makeTCPResegmentedWorkload(segments: 200)
        #expect(workload.secondary.map(\.count) != workload.primary.map(\.count))
        #expect(CompareBenchmarks.runTCPResegmented(workload, profile: profile) == 200)
    }
}
