import Testing
@testable import Deployment

@Suite("QEMU version: 7.2 or upstream")
struct QEMUVersionTests {
    private func lint(_ primary: String, _ secondary: String? = nil, version: QEMUVersion) throws -> LintReport {
        let secondary = secondary ?? QEMUArgsExporter.arguments(for: Topology.reference.secondary, version: version).joined(separator: "\n")
        return try QEMUArgsLinter.lint(primary: primary, secondary: secondary, options: LintOptions(qemu: .given(version)))
    }

    @Test("`qemu-system-x86_64 --version` picks the table and says why")
    func detection() {
        let debian = QEMUVersionChoice.detected(versionOutput: "QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)")
        #expect(debian.version == .v7_2)
        #expect(debian.reason == "qemu-system-x86_64 on PATH reports 7.2.22")
        let newest = QEMUVersionChoice.detected(versionOutput: "QEMU emulator version 10.2.0")
        #expect(newest.version == .upstream && newest.reason == "qemu-system-x86_64 on PATH reports 10.2.0")
        let between = QEMUVersionChoice.detected(versionOutput: "QEMU emulator version 9.1.2")
        #expect(between.version == .upstream && between.reason.hasSuffix("nearest table"))
        #expect(QEMUVersionChoice.detected(versionOutput: nil) == QEMUVersionChoice(version: .upstream, reason: "no qemu-system-x86_64 on PATH"))
        #expect(QEMUVersionChoice.detected(versionOutput: "garbage").reason.contains("printed no version"))
    }

    @Test("The reference is clean for 7.2; upstream (10.2) refuses its chardev reconnect, and takes the upstream export")
    func reconnectPerVersion() throws {
        #expect(try lint(Fixtures.referencePrimary, version: .v7_2).findings.isEmpty)
        let upstream = try lint(Fixtures.referencePrimary, Fixtures.referenceSecondary, version: .upstream)
        let refused = upstream.findings.filter { $0.rule == .unknownParameter && $0.key == "reconnect" }
        #expect(refused.count == 2, "\(upstream.text())")
        #expect(refused.allSatisfy { $0.claim == .refused("Invalid parameter 'reconnect'", version: .upstream) })
        let primary = QEMUArgsExporter.arguments(for: Topology.reference.primary, version: .upstream).joined(separator: "\n")
        let secondary = QEMUArgsExporter.arguments(for: Topology.reference.secondary, version: .upstream).joined(separator: "\n")
        #expect(secondary.contains("reconnect-ms=1000") && !secondary.contains("reconnect=1"))
        #expect(try lint(primary, secondary, version: .upstream).findings.isEmpty)
        #expect(QEMUArgsExporter.export(.reference, version: .upstream).hasPrefix("# Lockstep topology: two QEMU command lines for upstream QEMU 10.2."))
    }

    @Test("Options, netdev types and keys of one version only", arguments: [
        ("-run-with async-teardown=on", QEMUVersion.v7_2, LintRule.unknownOption, "-run-with: invalid option"),
        ("-chroot /tmp", .upstream, .unknownOption, "-chroot: invalid option"),
        ("-alt-grab", .v7_2, .unknownOption, "-alt-grab: invalid option"),
        ("-prom-env x=y", .v7_2, .unknownOption, "Option not supported for this target"),
        ("-netdev af-xdp,id=x0,ifname=lo", .v7_2, .invalidValue, "Parameter 'type' does not accept value 'af-xdp'"),
        ("-netdev stream,id=s0,server=off,addr.type=inet,addr.host=127.0.0.1,addr.port=9100,reconnect=1", .v7_2, .unknownParameter, "Parameter 'reconnect' is unexpected"),
        ("-netdev stream,id=s0,server=off,addr.type=inet,addr.host=127.0.0.1,addr.port=9100,reconnect=1", .upstream, .unknownParameter, "Parameter 'reconnect' is unexpected"),
        ("-object iommufd,id=o1", .v7_2, .invalidValue, "Parameter 'qom-type' does not accept value 'iommufd'"),
        ("-device e1001,netdev=spare", .v7_2, .invalidValue, "'e1001' is not a valid device model name"),
        ("-device usb-net,netdev=spare", .v7_2, .invalidValue, "No 'usb-bus' bus found for device 'usb-net'"),
        ("-device e1000,netdev=spare,foo=1", .v7_2, .unknownParameter, "Property 'e1000.foo' not found"),
    ])
    func versionOnly(_ argument: String, _ version: QEMUVersion, _ rule: LintRule, _ message: String) throws {
        let report = try lint(Fixtures.referencePrimary + "\n-netdev user,id=spare\n" + argument, version: version)
        let finding = try #require(report.findings.first { $0.rule == rule }, "\(report.text())")
        #expect(finding.claim?.outcome == .refused)
        #expect(finding.claim?.message?.text.contains(message) == true, "\(String(describing: finding.claim))")
        #expect(finding.claim?.version == version)
    }

    @Test("What one version accepts is clean there", arguments: [
        ("-run-with async-teardown=on", QEMUVersion.upstream),
        ("-chroot /tmp", .v7_2),
        ("-netdev af-xdp,id=x0,ifname=lo", .upstream),
        ("-netdev stream,id=s0,server=off,addr.type=inet,addr.host=127.0.0.1,addr.port=9100,reconnect-ms=1000", .upstream),
        ("-object iommufd,id=o1", .upstream),
        ("-netdev user,id=spare\n-device usb-net,netdev=spare\n-usb", .v7_2),
    ])
    func accepted(_ argument: String, _ version: QEMUVersion) throws {
        let report = try lint(Fixtures.referencePrimary + "\n" + argument, version: version)
        #expect(!report.findings.contains { $0.severity == .error }, "\(report.text())")
    }
}
