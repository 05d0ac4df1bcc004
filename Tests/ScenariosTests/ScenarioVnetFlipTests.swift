import Testing
import Fabric
import Primary
import Deployment
import COLORuntime
import Scenarios

/// `set_vnet_hdr_support`: qom-set on a running filter or compare. QEMU's setters only store the
/// flag: writers read it at each record, readers keep the framing they were set up with.
@Suite("Run-time vnet_hdr_support")
struct ScenarioVnetFlipTests {
    private let workload = """
        duration: 3s
        client: {workload: {connections: 1, requests: 8, response_size: 4096, think_time: 20ms}}
        expect: {checkpoints: {min: 0}}

        """

    private func report(_ text: String) throws -> RunReport {
        let scenario = try ScenarioParser.parse(workload + text, file: "vnet.yaml")
        return try #require(ScenarioRunner.run(scenario).report)
    }

    @Test("W-12 mid-run: redire1 switched on writes the V field compare's primary_in does not expect; records desynchronise and that input stops delivering")
    func redirectorFlip() throws {
        let plain = try report("")
        let flipped = try report("timeline: [{at: 100ms, set_vnet_hdr_support: {object: redire1, value: on}}]\n")
        let plainRecords = try #require(plain.traffic.compares.first?.primaryRecords)
        let flippedRecords = try #require(flipped.traffic.compares.first?.primaryRecords)
        #expect(plain.workload.isComplete)
        // Read as a length, the bytes after a misframed record ask for more than ever arrives
        // (here) or more than the buffer holds (a framing error, W-10): either way no more records.
        #expect(flippedRecords < plainRecords)
        #expect(!flipped.workload.isComplete)
        #expect(flipped.invariantsHold)
    }

    @Test("W-4: colo-compare switched on frames outdev records with V from the next one; its own inputs are unchanged")
    func compareFlipEngine() {
        var compare = COLOCompare(process: CompareProcess(), nowMs: 0)
        #expect(compare.framing.outdevCarriesVnetField == false)
        compare.setVnetHeaderSupport(true)
        #expect(compare.framing.outdevCarriesVnetField == true)
        #expect(compare.framing.primaryInCarriesVnetField == false)
        #expect(compare.framing.secondaryInCarriesVnetField == false)
    }

    @Test("W-1: a redirector's indev framing is fixed at setup; a later change reaches only its writes")
    func redirectorReaderFixed() {
        let redirector = FilterRedirector(indev: "a", outdev: "b")
        redirector.vnetHeaderSupport = true
        #expect(redirector.indevExpectsVnetField == false)
    }

    @Test("an unknown object or a rewriter is refused before the run, where the file names it, saying why")
    func refused() throws {
        let unknown = scenarioParseErrors(workload + "timeline: [{at: 0, set_vnet_hdr_support: {object: nope, value: on}}]\n", file: "v.yaml")
        #expect(unknown.count == 1 && unknown.first?.message.contains("got 'nope'") == true, "\(unknown)")
        let rewriter = scenarioParseErrors(workload + "timeline: [{at: 0, set_vnet_hdr_support: {object: rew0, value: on}}]\n", file: "v.yaml")
        #expect(rewriter.count == 1 && rewriter.first?.message.contains("modelled") == true, "\(rewriter)")
        #expect(throws: ScenarioFileErrors.self) {
            try ScenarioParser.parse(workload + "timeline: [{at: 0, set_vnet_hdr_support: {object: m0, value: maybe}}]\n", file: "v.yaml")
        }
    }
}
