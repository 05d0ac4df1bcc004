import Foundation
import Testing
@testable import Deployment

@Suite("Lint of the 2016 patch mail's command lines")
struct LintSeedTests {
    private func report() throws -> LintReport {
        try QEMUArgsLinter.lint(primary: Fixtures.patchMailPrimary(), secondary: Fixtures.patchMailSecondary())
    }

    @Test("The patch mail's errors: compare without iothread, 'down script=' typo, no rewriter")
    func errors() throws {
        let report = try report()
        let errors = report.findings.filter { $0.severity == .error }
        #expect(errors.map(\.rule) == [.compareWithoutIOThread, .unknownParameter, .strayArgument, .noRewriter])
        #expect(errors.map(\.host) == [.primary, .secondary, .secondary, .secondary])

        let iothread = errors[0]
        #expect(iothread.argument?.text.hasPrefix("-object colo-compare,id=comp0") == true)
        #expect(iothread.message.contains("parameter 'iothread' is missing"))

        let typo = errors[1]
        #expect(typo.key == "down")
        #expect(typo.argument?.index == 1)
        #expect(typo.hint == "write downscript=/etc/qemu-ifdown (no space)")

        let stray = errors[2]
        #expect(stray.argument?.text == "script=/etc/qemu-ifdown")
        #expect(stray.message.contains("disk image"))

        #expect(errors[3].message.contains("TCP"))
        #expect(report.hasErrors)
    }

    @Test("The patch mail's notes: short-form booleans, clients without reconnect, pairing by a non-loopback host:port")
    func notes() throws {
        let report = try report()
        #expect(!report.findings.contains { $0.severity == .warning })
        let notes = report.findings.filter { $0.severity == .info }
        #expect(notes.filter { $0.rule == .shortFormBoolean }.count == 4)
        let start = try #require(notes.first { $0.rule == .startOrder })
        #expect(start.message.contains("red0, red1"))
        let addresses = notes.filter { $0.rule == .nonLoopbackAddress }
        #expect(addresses.map(\.host) == [.primary, .secondary])
        #expect(addresses.allSatisfy { $0.message.contains("pairing works by host:port") })
    }

    @Test("The patch mail's pipes pair as in the reference: mirror0↔red0, compare1↔red1, compare0↔compare0-0, compare_out↔compare_out0")
    func pipes() throws {
        let links = try report().topology.links.map { "\($0.server)<-\($0.client)" }
        #expect(links == [
            "primary.compare0<-primary.compare0-0",
            "primary.compare_out<-primary.compare_out0",
            "primary.mirror0<-secondary.red0",
            "primary.compare1<-secondary.red1",
        ])
    }

    @Test("Fixing what the lint names leaves only the addresses note")
    func fixedSeedIsClean() throws {
        var primary = try Fixtures.patchMailPrimary()
        var secondary = try Fixtures.patchMailSecondary()
        primary = primary.replacing(",server,nowait", with: ",server=on,wait=off")
        primary = primary.replacing("outdev=compare_out0", with: "outdev=compare_out0,iothread=iothread") + "\n-object iothread,id=iothread\n"
        secondary = secondary.replacing("down script=", with: "downscript=")
        secondary = secondary.replacing("port=9003", with: "port=9003,reconnect=1").replacing("port=9004", with: "port=9004,reconnect=1")
        secondary += "\n-object filter-rewriter,id=rew0,netdev=hn0,queue=all\n"
        let report = try QEMUArgsLinter.lint(primary: primary, secondary: secondary)
        #expect(report.rules == [.nonLoopbackAddress], "\(report.text())")
    }

    @Test("JSON output parses and carries rule, severity, argument and summary")
    func json() throws {
        let report = try report()
        let data = Data(report.json().utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.count == report.findings.count)
        #expect(findings.first?["rule"] as? String == report.findings.first?.rule.id)
        let summary = try #require(object["summary"] as? [String: Int])
        #expect(summary["errors"] == 4)
        let argument = try #require(findings.first?["argument"] as? [String: Any])
        #expect(argument["index"] as? Int == report.findings.first?.argument?.index)
    }

    @Test("Text output names each finding's argument and hint, then the pipes and a summary")
    func text() throws {
        let text = try report().text()
        #expect(text.contains("secondary arg 1 (line 1): error L002 unknown-parameter"))
        #expect(text.contains("    hint: write downscript=/etc/qemu-ifdown (no space)"))
        #expect(text.contains("primary.mirror0 <- secondary.red0 via 3.3.3.3:9003"))
        #expect(text.hasSuffix("4 errors, 0 warnings, 7 info\n"))
    }
}
