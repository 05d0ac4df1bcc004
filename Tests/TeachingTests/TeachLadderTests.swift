import Testing
@testable import Fabric
@testable import Deployment
@testable import COLORuntime
@testable import Scenarios
@testable import Teaching

@Suite("Ladder diagram")
struct TeachLadderTests {
    func ladder() throws -> Ladder {
        let run = try #require(TeachFixtures.run)
        return Ladder(entries: run.entries, topology: run.topology, from: .zero, to: VirtualTime.zero + VirtualDuration.milliseconds(2), maximumRows: 60)
    }

    @Test("C-13: the first 2 ms as a text ladder: primary frames held (H), released by the compare to the tap (golden)")
    func text() throws {
        let ladder = try ladder()
        #expect(ladder.rows.contains { $0.mark == .release })
        #expect(ladder.rows.contains { $0.mark == .message(from: .primaryGuest, to: .compare) })
        #expect(ladder.rows.map(\.time) == ladder.rows.map(\.time).sorted())
        let difference = try TeachFixtures.checkGolden(LadderRenderer.text(ladder), name: "ladder-2ms.txt")
        #expect(difference == nil, "\(difference ?? "")")
    }

    @Test("K-5: a checkpoint is drawn as a band between its start and end rows, in text and SVG")
    func checkpointBand() throws {
        var configuration = COLORunConfiguration.defaultScenario
        configuration.duration = .milliseconds(1_050)
        let run = try TeachRun(configuration)
        let ladder = Ladder(entries: run.entries, topology: run.topology, from: VirtualTime.zero + VirtualDuration.milliseconds(1_000), maximumRows: 200)
        #expect(ladder.rows.contains { $0.mark == .checkpointStart(1) })
        #expect(ladder.rows.contains { $0.mark == .checkpointEnd(1) })
        let text = LadderRenderer.text(ladder)
        #expect(text.contains("checkpoint 1 starts (payload_mismatch)"))
        let svg = LadderRenderer.svg(ladder)
        #expect(svg.hasPrefix("<svg ") && svg.hasSuffix("</svg>\n"))
        #expect(svg.contains("fill=\"#fde7c8\""))
        #expect(svg == LadderRenderer.svg(Ladder(entries: run.entries, topology: run.topology, from: VirtualTime.zero + VirtualDuration.milliseconds(1_000), maximumRows: 200)))
    }
}
