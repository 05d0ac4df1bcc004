import Testing
@testable import Deployment

@Suite("QEMU's JSON form of -object, -netdev and -device")
struct JSONSyntaxTests {
    /// The reference primary with the option whose id is `id` written as `value` instead.
    private func primary(replacing id: String, with value: String) -> String {
        Fixtures.referencePrimary.split(separator: "\n").map { line in
            line.contains(",id=\(id),") || line.hasSuffix(",id=\(id)") ? "\(line.split(separator: " ")[0]) '\(value)'" : String(line)
        }.joined(separator: "\n")
    }

    @Test("COLO objects, a tap and a NIC written in JSON read as their key=value form")
    func sameAsKeyValue() throws {
        let replacements = [
            ("-netdev tap,id=hn0,vhost=off,script=/etc/qemu-ifup,downscript=/etc/qemu-ifdown",
             #"-netdev '{"type":"tap","id":"hn0","vhost":false,"script":"/etc/qemu-ifup","downscript":"/etc/qemu-ifdown"}'"#),
            ("-device e1000,id=e0,netdev=hn0,mac=52:a4:00:12:78:66",
             #"-device '{"driver":"e1000","id":"e0","netdev":"hn0","mac":"52:a4:00:12:78:66"}'"#),
            ("-object filter-mirror,id=m0,netdev=hn0,queue=tx,outdev=mirror0",
             #"-object '{"qom-type":"filter-mirror","id":"m0","netdev":"hn0","queue":"tx","outdev":"mirror0"}'"#),
            ("-object colo-compare,id=comp0,primary_in=compare0-0,secondary_in=compare1,outdev=compare_out0,iothread=iothread",
             #"-object '{"qom-type":"colo-compare","id":"comp0","primary_in":"compare0-0","secondary_in":"compare1","outdev":"compare_out0","iothread":"iothread"}'"#),
        ]
        var lines = Fixtures.referencePrimary
        for (keyValue, json) in replacements {
            #expect(lines.contains(keyValue))
            lines = lines.replacing(keyValue, with: json)
        }
        let imported = try QEMUArgsImporter.importHost(lines, role: .primary)
        #expect(imported.findings.isEmpty, "\(imported.findings.map(LintReport.headline))")
        #expect(imported.configuration == Topology.reference.primary)
        let report = try QEMUArgsLinter.lint(primary: lines, secondary: Fixtures.referenceSecondary)
        #expect(report.findings.isEmpty, "\(report.text())")
    }

    @Test("JSON wants typed values, and is refused in QEMU's words when malformed", arguments: [
        (#"{"qom-type":"filter-mirror","id":"m0","netdev":"hn0","queue":"tx","outdev":"mirror0","vnet_hdr_support":"off"}"#,
         "Invalid parameter type for 'vnet_hdr_support', expected: boolean"),
        (#"{"qom-type":"filter-mirror","id":"m0","netdev":"hn0","queue":2,"outdev":"mirror0"}"#, "Invalid parameter type for 'queue', expected: string"),
        (#"{"qom-type":"filter-mirror","id":"m0","netdev":"hn0","queue":"tx","outdev":"mirror0","frob":1}"#, "Parameter 'frob' is unexpected"),
        (#"{"qom-type":"filter-mirror","id":"m0""#, "JSON parse error, premature EOI"),
        (#"{"qom-type":"filter-mirror","id":"m0",}"#, "JSON parse error, expecting value"),
        (#"{"qom-type":"filter-mirror","id":"m0","id":"m1"}"#, "JSON parse error, duplicate key"),
        (#"{"qom-type":"filter-mirror","id":"m0"}x"#, "Expecting at most one JSON value"),
        (#"{"qom-type":"filter-mirror","id":"m0","queue":"tx","outdev":"mirror0"}"#, "Parameter 'netdev' is missing"),
    ])
    func refused(_ json: String, _ message: String) throws {
        let imported = try QEMUArgsImporter.importHost(primary(replacing: "m0", with: json), role: .primary)
        #expect(imported.findings.contains { $0.claim == .refused(message, version: .v7_2) },
                "\(imported.findings.map { "\(LintReport.headline(of: $0)) \(String(describing: $0.claim))" })")
    }

    @Test("A JSON uint property given as text: 'expects uint64'; a negative uint32: 'expects uint32_t'")
    func unsignedTypes() throws {
        let base = #"{"qom-type":"colo-compare","id":"comp0","primary_in":"compare0-0","secondary_in":"compare1","outdev":"compare_out0","iothread":"iothread""#
        let text = try QEMUArgsImporter.importHost(primary(replacing: "comp0", with: base + #","compare_timeout":"3000"}"#), role: .primary)
        #expect(text.findings.first?.claim == .refused("Parameter 'compare_timeout' expects uint64", version: .v7_2))
        let negative = try QEMUArgsImporter.importHost(primary(replacing: "comp0", with: base + #","max_queue_size":-1}"#), role: .primary)
        #expect(negative.findings.first?.claim == .refused("Parameter 'max_queue_size' expects uint32_t", version: .v7_2))
    }

    @Test("-chardev has no JSON form in 7.2: QEMU reads the text as key=value and refuses its second element")
    func chardevJSON() throws {
        let imported = try QEMUArgsImporter.importHost(
            primary(replacing: "mirror0", with: #"{"backend":"socket","id":"mirror0","host":"127.0.0.1","port":"9003","server":"on","wait":"off"}"#),
            role: .primary)
        #expect(imported.findings.contains { $0.claim == .refused(#"Invalid parameter '"id":"mirror0"'"#, version: .v7_2) })
        #expect(imported.configuration.chardev("mirror0") == nil)
    }
}
