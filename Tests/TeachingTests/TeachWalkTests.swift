import Testing
@testable import Deployment
@testable import COLORuntime
@testable import Scenarios
@testable import Teaching

@Suite("Packet walk")
struct TeachWalkTests {
    func walk(_ selector: FrameSelector) throws -> (FrameWalk, Topology) {
        let run = try #require(TeachFixtures.run)
        return (try FrameWalker(entries: run.entries, topology: run.topology).walk(selector), run.topology)
    }

    @Test("M-3/RW-9: client frame #4 is mirrored to the secondary, where the rewriter rewrites its ack (golden)")
    func clientFrame() throws {
        let (walk, topology) = try walk(.client(4))
        let text = FrameWalkText.plain(walk, topology: topology, style: .ascii)
        #expect(walk.hops.first?.component == .netdev(.primary, id: "hn0"))
        #expect(walk.hops.contains { $0.component == .filter(.primary, id: "m0") && $0.text.contains("copied it to mirror0") })
        #expect(walk.hops.contains { $0.component == .filter(.secondary, id: "rew0") && $0.text.contains("rewritten: ack") })
        #expect(walk.hops.contains { $0.component == .nic(.primary, index: 0) && $0.text.hasPrefix("delivered") })
        #expect(walk.hops.last?.component == .nic(.secondary, index: 0))
        #expect(walk.hops.map(\.time) == walk.hops.map(\.time).sorted())
        let difference = try TeachFixtures.checkGolden(text, name: "walk-client-4.txt")
        #expect(difference == nil, "\(difference ?? "")")
    }

    @Test("C-10/C-13: guest frame #6 is held by the compare, released after the secondary matched, and leaves by the tap (golden)")
    func guestFrame() throws {
        let (walk, topology) = try walk(.guest(6))
        let text = FrameWalkText.plain(walk, topology: topology, style: .ascii)
        #expect(walk.hops.first?.component == .nic(.primary, index: 0))
        #expect(walk.hops.contains { $0.component == .compare(.primary, id: "comp0") && $0.text.contains("waiting for the secondary") })
        #expect(walk.hops.contains { $0.text.contains("released it after matching secondary packet") })
        #expect(walk.hops.last?.component == .netdev(.primary, id: "hn0"))
        #expect(walk.hops.last?.text.contains("leaves primary for the network") == true)
        let difference = try TeachFixtures.checkGolden(text, name: "walk-guest-6.txt")
        #expect(difference == nil, "\(difference ?? "")")
    }

    @Test("C-13: a frame chosen by a text match is the first primary-side frame whose summary contains it")
    func matching() throws {
        let (walk, _) = try walk(.matching("Flags [S.]"))
        #expect(walk.title.contains("10.0.0.2.80 > 10.0.0.1.49152: Flags [S.]"))
        #expect(walk.hops.first?.component == .nic(.primary, index: 0))
        #expect(walk.hops.contains { $0.text.contains("no payload") })
        let run = try #require(TeachFixtures.run)
        #expect(throws: FrameWalkError.self) {
            try FrameWalker(entries: run.entries, topology: run.topology).walk(.matching("no such text"))
        }
    }

    @Test("A frame number past the run's frames is a typed error naming how many there were")
    func missingFrame() throws {
        let run = try #require(TeachFixtures.run)
        #expect(throws: FrameWalkError.self) {
            try FrameWalker(entries: run.entries, topology: run.topology).walk(.client(1_000_000))
        }
        #expect(throws: FrameWalkError.self) {
            try FrameWalker(entries: run.entries, topology: run.topology).walk(.guest(0))
        }
    }
}
