import Foundation
import Testing
import Deployment
import COLORuntime
import Scenarios

/// `lockstep qemu-args SCENARIO` / `lockstep figure SCENARIO` read a scenario file's topology.
@Suite("Scenario file topology export")
struct ScenarioTopologyExportTests {
    @Test("A scenario file's qemu: topology exports to command lines that import to the same topology")
    func qemuTopologyRoundTrip() throws {
        let path = ScenarioLibraryTests.directory + "/vnet-hdr-mismatch.yaml"
        let topology = try ScenarioParser.load(path: path).configuration.topology
        #expect(topology != .reference)
        let primary = QEMUArgsExporter.commandLine(for: topology.primary)
        let secondary = QEMUArgsExporter.commandLine(for: topology.secondary)
        let imported = try QEMUArgsImporter.topology(primary: primary, secondary: secondary)
        #expect(imported == topology)
        #expect(primary.contains("vnet_hdr_support=on"))
    }
}
