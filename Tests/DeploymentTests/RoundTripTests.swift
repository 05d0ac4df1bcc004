import Testing
@testable import Deployment

@Suite("Export and import round trip")
struct RoundTripTests {
    @Test("args → topology → args → same topology, over 300 generated topologies", arguments: 0..<3)
    func generated(batch: UInt64) throws {
        for seed in (batch * 100)..<(batch * 100 + 100) {
            var generator = TopologyGenerator(seed: seed)
            let topology = generator.topology()
            for role in HostRole.allCases {
                let text = QEMUArgsExporter.commandLine(for: topology[role])
                let imported = try QEMUArgsImporter.importHost(text, role: role)
                // The generator leaves required properties out on purpose (the model keeps nil);
                // what must never happen is a written value being misread or dropped.
                let lossy: [LintRule] = [.unknownOption, .unknownParameter, .strayArgument, .invalidValue, .duplicateID]
                let syntax = imported.findings.filter { lossy.contains($0.rule) }
                #expect(syntax.isEmpty, "seed \(seed) \(role): \(syntax.map(LintReport.headline))")
                #expect(imported.configuration == topology[role], "seed \(seed) \(role):\n\(text)")
                #expect(QEMUArgsExporter.commandLine(for: imported.configuration) == text, "seed \(seed) \(role)")
            }
        }
    }

    @Test("The combined export reads back host by host; both texts are stable")
    func combinedExport() throws {
        var generator = TopologyGenerator(seed: 4242)
        let topology = generator.topology()
        let text = QEMUArgsExporter.export(topology)
        let parts = text.components(separatedBy: "# secondary")
        #expect(parts.count == 2)
        let primary = try QEMUArgsImporter.importHost(parts[0], role: .primary)
        let secondary = try QEMUArgsImporter.importHost(parts[1], role: .secondary)
        #expect(Topology(primary: primary.configuration, secondary: secondary.configuration) == topology)
    }

    @Test("The lint of a generated topology is deterministic (same text twice)")
    func lintDeterministic() throws {
        for seed in UInt64(0)..<50 {
            var generator = TopologyGenerator(seed: seed)
            let topology = generator.topology()
            let primary = QEMUArgsExporter.commandLine(for: topology.primary)
            let secondary = QEMUArgsExporter.commandLine(for: topology.secondary)
            let first = try QEMUArgsLinter.lint(primary: primary, secondary: secondary)
            let second = try QEMUArgsLinter.lint(primary: primary, secondary: secondary)
            #expect(first.text() == second.text())
            #expect(first.json() == second.json())
        }
    }
}
