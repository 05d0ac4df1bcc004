import Testing
import Primary

@Suite("colo-compare quirk switches")
struct CompareQuirksTests {
    @Test("Every quirk has a bit of its own: switching one, from any profile, changes that switch only")
    func everySwitchIsIndependent() {
        for base in [CompareQuirks.upstream, .qemu62, .none] {
            for quirk in CompareQuirk.allCases {
                var changed = base
                changed[quirk].toggle()
                #expect(CompareQuirk.allCases.map { changed[$0] } == CompareQuirk.allCases.map { $0 == quirk ? !base[$0] : base[$0] },
                        "toggling \(quirk)")
                #expect(changed.pastFrameReads == base.pastFrameReads)
            }
        }
    }

    @Test("pastFrameReads shares the quirks' word: each of its values reads back and leaves every quirk as it was")
    func pastFrameReadsIsIndependent() {
        for base in [CompareQuirks.upstream, .qemu62, .none] {
            for reads in [PastFrameReads.heapGarbage, .freshHeap, .boundsChecked] {
                var changed = base
                changed.pastFrameReads = reads
                #expect(changed.pastFrameReads == reads)
                #expect(CompareQuirk.allCases.map { changed[$0] } == CompareQuirk.allCases.map { base[$0] }, "setting \(reads)")
            }
        }
    }

    @Test("Profiles: upstream reproduces every quirk but the TCP queue layout 7.0 replaced; 6.2 differs from it by that patch; fixed by none")
    func profiles() {
        #expect(CompareQuirk.allCases.filter { CompareQuirks.upstream[$0] } == CompareQuirk.allCases.filter { $0 != .ascendingTCPQueueLayout })
        let patch: [CompareQuirk] = [.nonTCPNewestFirst, .outputNewestFirst, .ascendingTCPQueueLayout]
        #expect(CompareQuirk.allCases.filter { CompareQuirks.qemu62[$0] != CompareQuirks.upstream[$0] } == patch)
        #expect(CompareQuirk.allCases.allSatisfy { !CompareQuirks.none[$0] })
        #expect([CompareQuirks.upstream.pastFrameReads, CompareQuirks.qemu62.pastFrameReads, CompareQuirks.none.pastFrameReads]
                == [.heapGarbage, .heapGarbage, .boundsChecked])
    }
}
