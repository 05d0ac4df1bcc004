import Foundation
import Testing
@testable import Deployment

/// What the lint claims QEMU 7.2 does, case by case; the differential test checks the same
/// claims against the real binary.
@Suite("Lint claims about QEMU")
struct LintClaimTests {
    private func report(primary: (String) -> String = { $0 }, secondary: (String) -> String = { $0 }, first: HostRole = .primary) throws -> LintReport {
        try QEMUArgsLinter.lint(primary: primary(Fixtures.referencePrimary), secondary: secondary(Fixtures.referenceSecondary),
                                options: LintOptions(startedFirst: first, qemu: .given(.v7_2)))
    }

    private func claims(_ report: LintReport, _ host: HostRole) -> [QEMUClaim] {
        report.findings.filter { $0.host == host }.compactMap(\.claim)
    }

    @Test("Every finding of every rule case carries a claim for the version linted")
    func everyFindingClaims() throws {
        for ruleCase in ruleCases {
            let report = try QEMUArgsLinter.lint(primary: ruleCase.primary, secondary: ruleCase.secondary,
                                                 options: LintOptions(startedFirst: ruleCase.startedFirst))
            for finding in report.findings where finding.rule != .nothingToCheck {
                #expect(finding.claim?.version == .v7_2, "\(ruleCase.rule): \(LintReport.headline(of: finding))")
            }
        }
    }

    @Test("The JSON output carries the version assumed and each finding's claim")
    func jsonClaims() throws {
        let report = try self.report(primary: { $0 + "\n-object filter-dump,id=d0,netdev=hn0" })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let qemu = try #require(object["qemu"] as? [String: String])
        #expect(qemu["version"] == "7.2" && qemu["assumed"] == "--qemu-version 7.2")
        let findings = try #require(object["findings"] as? [[String: Any]])
        let claim = try #require(findings.first { $0["rule"] as? String == "L006" }?["qemu"] as? [String: String])
        #expect(claim == ["version": "7.2", "outcome": "refused", "message": "Parameter 'file' is missing", "match": "exact"])
    }

    @Test("Values QEMU accepts are not refused: a negative reconnect (no retry), 0x10, octal")
    func acceptedValues() throws {
        for value in ["-1", "0x10", "010", "99999999999"] {
            let lint = try report(secondary: { $0.replacing("port=9003,reconnect=1", with: "port=9003,reconnect=\(value)") })
            #expect(!lint.findings.contains { $0.rule == .invalidValue }, "reconnect=\(value): \(lint.text())")
        }
        let negative = try report(secondary: { $0.replacing("port=9003,reconnect=1", with: "port=9006,reconnect=-1") })
        #expect(claims(negative, .secondary).contains(.refused("Failed to connect to '127.0.0.1:9006': Connection refused", version: .v7_2)))
        let hex = try report(primary: { $0.replacing("iothread=iothread", with: "iothread=iothread,compare_timeout=0x10") })
        #expect(hex.findings.isEmpty, "\(hex.text())")
    }

    @Test("QEMU's own words", arguments: [
        ("id=mirror0,host=127.0.0.1,port=9003,server=on,wait=off", "host=127.0.0.1,port=9003,server=on,wait=off", "chardev: no id specified"),
        ("queue=rx,indev=compare_out", "queue=rx,position=id=redire0,indev=compare_out", "filter 'redire0' belongs to a different netdev"),
        ("queue=rx,indev=compare_out", "queue=rx,position=id=,indev=compare_out", "filter '' not found"),
        ("queue=rx,indev=compare_out", "queue=rx,position=id=iothread,indev=compare_out", "filter 'iothread' belongs to a different netdev"),
        ("queue=rx,indev=compare_out", "queue=rx,position=id=comp0,indev=compare_out", "filter 'comp0' not found"),
        ("tap,id=hn0,", "tap,=hn0,", "Invalid parameter ''"),
        ("filter-mirror,id=m0,netdev=hn0", "filter-mirror,id=m0,=hn0", "Parameter 'netdev' is missing"),
        ("e1000,id=e0,netdev=hn0,mac=52:a4:00:12:78:66", "e1000,id=e0,netdev=hn0,mac=52:a4:00:12:78", "Property 'e1000.mac' doesn't take value '52:a4:00:12:78'"),
        ("vhost=off,", "vhost=off,queues=0,", "Assertion `nc' failed."),
    ])
    func qemuWords(_ old: String, _ new: String, _ message: String) throws {
        let lint = try report(primary: { $0.replacing(old, with: new) })
        #expect(claims(lint, .primary).contains { $0.message?.text == message }, "\(lint.findings.map { String(describing: $0.claim) })")
    }

    @Test("A socket without host or path: a server starts on nothing, a client is refused; no cascade")
    func socketWithoutAddress() throws {
        let server = try report(primary: { $0.replacing("id=mirror0,host=127.0.0.1,port=9003", with: "id=mirror0,port=9003") })
        #expect(!claims(server, .primary).contains { $0.outcome.isFailure }, "\(server.text())")
        #expect(!server.rules.contains(.chardevNotFound))
        let client = try report(secondary: { $0.replacing("id=red0,host=127.0.0.1,port=9003,reconnect=1", with: "id=red0,port=9003") })
        #expect(claims(client, .secondary).contains(.refused("Unable to parse FD number", version: .v7_2)))
        let retrying = try report(secondary: { $0.replacing("id=red0,host=127.0.0.1,port=9003", with: "id=red0,port=9003") })
        #expect(claims(retrying, .secondary).contains(.refused("'reconnect' option is incompatible with 'fd' address type", version: .v7_2)))
    }

    @Test("Addresses pair as getaddrinfo and Linux resolve them", arguments: [
        ("localhost", "127.0.0.1", true), ("127.0.0.1", "localhost", true), ("0.0.0.0", "127.0.0.2", true),
        ("0.0.0.0", "::1", false), ("::", "127.0.0.1", true), ("", "::1", true), ("::1", "127.0.0.1", false),
        ("localhost", "::1", false), ("127.0.0.1", "0.0.0.0", true), ("127.0.0.1", "0", true), ("127.0.0.1", "127.1", true),
    ])
    func addresses(_ server: String, _ client: String, _ pairs: Bool) throws {
        let lint = try report(primary: { $0.replacing("id=mirror0,host=127.0.0.1", with: "id=mirror0,host=\(server)") },
                              secondary: { $0.replacing("id=red0,host=127.0.0.1", with: "id=red0,host=\(client)") })
        let linked = lint.topology.links.contains { $0.server.chardev == "mirror0" && $0.client.chardev == "red0" }
        #expect(linked == pairs, "\(lint.text())")
    }

    @Test("Ports as getaddrinfo reads them: 0 and 65536 are a random port, 99999 is 34463, names and garbage")
    func ports() throws {
        func both(_ primaryPort: String, _ secondaryPort: String) throws -> LintReport {
            try report(primary: { $0.replacing("id=mirror0,host=127.0.0.1,port=9003", with: "id=mirror0,host=127.0.0.1,port=\(primaryPort)") },
                       secondary: { $0.replacing("id=red0,host=127.0.0.1,port=9003", with: "id=red0,host=127.0.0.1,port=\(secondaryPort)") })
        }
        #expect(try !both("0", "0").topology.links.contains { $0.server.chardev == "mirror0" })
        #expect(try !both("65536", "65536").topology.links.contains { $0.server.chardev == "mirror0" })
        #expect(try both("99999", "34463").topology.links.contains { $0.server.chardev == "mirror0" })
        #expect(try both("http", "80").topology.links.contains { $0.server.chardev == "mirror0" })
        let garbage = try both("-1", "-1")
        #expect(claims(garbage, .primary).contains(.refused("address resolution failed for 127.0.0.1:-1: Servname not supported for ai_socktype", version: .v7_2)))
    }

    @Test("A unix socket path over 108 bytes is refused by a server and by a client without reconnect")
    func longUnixPath() throws {
        let path = "/tmp/" + String(repeating: "p", count: 110)
        let lint = try report(primary: { $0.replacing("id=compare0,host=127.0.0.1,port=9001", with: "id=compare0,path=\(path)")
            .replacing("id=compare0-0,host=127.0.0.1,port=9001", with: "id=compare0-0,path=\(path)") })
        let long = lint.findings.filter { $0.key == "path" && $0.claim?.message == .pattern("UNIX socket path '.*' is too long") }
        #expect(long.count == 2, "\(lint.text())")
    }

    @Test("Two servers on one TCP address: the one started second is refused; on one unix path both start")
    func bothServers() throws {
        let tcp = try report(secondary: { $0.replacing("id=red0,host=127.0.0.1,port=9003,reconnect=1", with: "id=red0,host=127.0.0.1,port=9003,server=on,wait=off") })
        #expect(claims(tcp, .secondary).contains(.refused("Failed to find an available port: Address already in use", version: .v7_2)))
        let swapped = try report(secondary: { $0.replacing("id=red0,host=127.0.0.1,port=9003,reconnect=1", with: "id=red0,host=127.0.0.1,port=9003,server=on,wait=off") },
                                 first: .secondary)
        #expect(claims(swapped, .primary).contains(.refused("Failed to find an available port: Address already in use", version: .v7_2)))
    }

    @Test("Nothing COLO to check: empty, comment-only and program-name-only lines, a VM without COLO", arguments: [
        ("", ""), ("# only a comment\n", "   \n"), ("qemu-system-x86_64", "/usr/bin/qemu-system-x86_64 \\\n"),
        ("-netdev user,id=n0\n-device e1000,netdev=n0", "-m 64"),
    ])
    func nothingToCheck(_ primary: String, _ secondary: String) throws {
        let lint = try QEMUArgsLinter.lint(primary: primary, secondary: secondary)
        #expect(lint.rules.contains(.nothingToCheck), "\(lint.text())")
        #expect(lint.hasErrors)
        #expect(lint.text().contains("there is nothing COLO to check"))
    }

    @Test("One option with 10,000 keys: a bounded report, in bounded time")
    func manyKeys() throws {
        let keys = (0..<10_000).map { "k\($0)=v" }.joined(separator: ",")
        let began = ContinuousClock.now
        let lint = try report(primary: { $0 + "\n-object iothread,id=io9," + keys })
        let text = lint.text()
        #expect(ContinuousClock.now - began < .seconds(20))
        #expect(lint.findings.filter { $0.rule == .unknownParameter }.count == HostImporter.findingsPerArgument + 1)
        #expect(text.utf8.count < 20_000, "\(text.utf8.count) bytes")
        #expect(lint.json().utf8.count < 40_000)
    }

    @Test("A one-megabyte id is quoted shortened")
    func hugeID() throws {
        let id = "h" + String(repeating: "a", count: 1_000_000)
        let lint = try QEMUArgsLinter.lint(primary: "-netdev tap,id=\(id)", secondary: Fixtures.referenceSecondary)
        #expect(lint.text().utf8.count < 20_000, "\(lint.text().utf8.count) bytes")
        #expect(lint.findings.allSatisfy { $0.message.utf8.count < 1_000 })
    }

    @Test("10,000 netdevs and NICs lint in linear time")
    func manyNetdevs() throws {
        let lines = (0..<10_000).map { "-netdev user,id=n\($0)\n-device e1000,netdev=n\($0)" }.joined(separator: "\n")
        let began = ContinuousClock.now
        let lint = try QEMUArgsLinter.lint(primary: Fixtures.referencePrimary + "\n" + lines, secondary: Fixtures.referenceSecondary)
        #expect(ContinuousClock.now - began < .seconds(20))
        #expect(lint.topology.primary.netdevs.count == 10_001)
    }
}
