import Testing
@testable import Primary

@Suite("Compare profile overrides")
struct CompareProfileOverrideTests {
    @Test("C-11: past-frame reads overridden on a profile: only that quirk changes, and the name says so")
    func pastFrameReads() {
        let fresh = CompareProfile.upstream.overriding(pastFrameReads: .freshHeap)
        #expect(fresh.name == "upstream (past-frame reads fresh_heap)")
        #expect(fresh.quirks.pastFrameReads == .freshHeap)
        var expected = CompareProfile.upstream.quirks
        expected.pastFrameReads = .freshHeap
        #expect(fresh.quirks == expected)
    }
}
