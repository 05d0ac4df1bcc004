import Testing
@testable import Fabric
@testable import GuestStack
@testable import Benchmarks

@Suite("Stack benchmark")
struct StackBenchTests {
    @Test("the bulk-transfer benchmark moves every byte in full-sized segments")
    func bulkTransfer() {
        let result = StackBenchmark.bulkTransfer(bytes: 2_000_000)
        #expect(result.bytes == 2_000_000)
        #expect(result.dataSegments == (2_000_000 + 1_447) / 1_448)
        #expect(result.segments > result.dataSegments)
        #expect(result.virtualTime > .zero)
    }
}
