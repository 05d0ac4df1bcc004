import Testing
@testable import Deployment

/// One command-line pair that breaks exactly one lint rule, made by editing the reference
/// topology's command lines.
struct RuleCase: Sendable, CustomTestStringConvertible {
    let rule: LintRule
    let primary: String
    let secondary: String
    let startedFirst: HostRole
    /// A fragment the finding's message or hint must contain.
    let mentions: String

    var testDescription: String { rule.description }

    init(
        _ rule: LintRule,
        primary: (String) -> String = { $0 },
        secondary: (String) -> String = { $0 },
        startedFirst: HostRole = .primary,
        mentions: String
    ) {
        self.rule = rule
        self.primary = primary(Fixtures.referencePrimary)
        self.secondary = secondary(Fixtures.referenceSecondary)
        self.startedFirst = startedFirst
        self.mentions = mentions
    }
}

private func edit(_ old: String, _ new: String) -> (String) -> String {
    { text in
        precondition(text.contains(old), "fixture lacks \(old)")
        return text.replacing(old, with: new)
    }
}

private func append(_ lines: String) -> (String) -> String {
    { $0 + "\n" + lines }
}

/// Applies one edit after another.
private func both(_ first: @escaping (String) -> String, _ second: @escaping (String) -> String) -> (String) -> String {
    { second(first($0)) }
}

private let dump = "-object filter-dump,id=d0,netdev=hn0,file=/tmp/lockstep-d0.pcap"

let ruleCases: [RuleCase] = [
    RuleCase(.unknownOption, primary: append("-enable-kvmm"), mentions: "did you mean -enable-kvm?"),
    RuleCase(.unknownParameter, secondary: edit("downscript=", "downscrpt="), mentions: "did you mean downscript?"),
    RuleCase(.strayArgument, primary: append("disk.qcow2"), mentions: "disk image"),
    RuleCase(.invalidValue, primary: edit("queue=rx,indev=compare_out", "queue=rx,indev=compare_out,status=onn"), mentions: "status=on"),
    RuleCase(.duplicateID, primary: append("-object iothread,id=iothread"), mentions: "'iothread' is already used"),
    RuleCase(.missingParameter, primary: append("-object filter-dump,id=d0,netdev=hn0"), mentions: "parameter 'file' is missing"),
    RuleCase(.shortFormBoolean, primary: edit("port=9003,server=on,wait=off", "port=9003,server,nowait"), mentions: "server=on,wait=off"),
    RuleCase(.netdevNotFound, primary: append(dump.replacing("netdev=hn0", with: "netdev=hn9")), mentions: "'hn9'"),
    RuleCase(.filterOnNIC, primary: append(dump.replacing("netdev=hn0", with: "netdev=e0")), mentions: "write netdev=hn0"),
    RuleCase(.vhostOn, primary: edit("vhost=off", "vhost=on"), mentions: "vhost=off"),
    RuleCase(.multiqueueNetdev, primary: edit("vhost=off", "vhost=off,queues=2"), mentions: "multiqueue"),
    RuleCase(.chardevNotFound, primary: edit("outdev=mirror0", "outdev=mirror9"), mentions: "'mirror9'"),
    RuleCase(.positionTarget, primary: append(dump + ",position=id=nothere"), mentions: "'nothere'"),
    RuleCase(.redirectorWithoutChardev, primary: append("-object filter-redirector,id=r9,netdev=hn0,queue=rx"), mentions: "neither indev nor outdev"),
    RuleCase(.redirectorSameChardev, primary: append("-object filter-redirector,id=r9,netdev=hn0,queue=rx,indev=x9,outdev=x9"), mentions: "must differ"),
    RuleCase(.compareSameChardev, primary: edit("secondary_in=compare1", "secondary_in=compare0-0"), mentions: "primary_in and secondary_in"),
    RuleCase(.compareWithoutIOThread, primary: edit(",iothread=iothread", ""), mentions: "'iothread' is missing"),
    RuleCase(.zeroValue, primary: edit("iothread=iothread", "iothread=iothread,compare_timeout=0"), mentions: "7.2 aborts"),
    RuleCase(.chardevInUse, primary: append("-object filter-mirror,id=m9,netdev=hn0,queue=tx,outdev=mirror0"), mentions: "already the outdev of 'm0'"),
    RuleCase(.compareChardevNotSocket, primary: both(
        edit("-chardev socket,id=compare_out,host=127.0.0.1,port=9005,server=on,wait=off", "-chardev file,id=compare_out,path=/tmp/lockstep-out"),
        edit("-chardev socket,id=compare_out0,host=127.0.0.1,port=9005", "-chardev file,id=compare_out0,path=/tmp/lockstep-out0")),
             mentions: "file chardev"),
    RuleCase(.chardevUnpaired, secondary: edit("port=9004", "port=9006"), mentions: "9004"),
    RuleCase(.bothServers, secondary: edit("id=red0,host=127.0.0.1,port=9003,reconnect=1", "id=red0,host=127.0.0.1,port=9003,server=on,wait=off"), mentions: "Address already in use"),
    RuleCase(.noServer, primary: edit("id=mirror0,host=127.0.0.1,port=9003,server=on,wait=off", "id=mirror0,host=127.0.0.1,port=9003,reconnect=1"), mentions: "none is a server"),
    RuleCase(.serverSeveralClients, secondary: append("-chardev socket,id=red9,host=127.0.0.1,port=9004,reconnect=1"), mentions: "2 clients"),
    RuleCase(.serverWaitBlocks, primary: edit("port=9001,server=on,wait=off", "port=9001,server=on,wait=on"), mentions: "blocks forever"),
    RuleCase(.redirectorDirection, secondary: edit("id=f1,netdev=hn0,queue=tx", "id=f1,netdev=hn0,queue=rx"), mentions: "direction reversed"),
    RuleCase(.mirrorQueue, primary: edit("id=m0,netdev=hn0,queue=tx", "id=m0,netdev=hn0,queue=rx"), mentions: "queue=tx"),
    RuleCase(.filterOrder, primary: { text in
        let lines = text.split(separator: "\n").map(String.init)
        guard let first = lines.firstIndex(where: { $0.contains("id=redire0") }),
              let second = lines.firstIndex(where: { $0.contains("id=redire1") }) else { return text }
        var swapped = lines
        swapped.swapAt(first, second)
        return swapped.joined(separator: "\n")
    }, mentions: "loop back into the compare"),
    RuleCase(.vnetHeaderMismatch, primary: edit("outdev=mirror0", "outdev=mirror0,vnet_hdr_support=on"), mentions: "W-12"),
    RuleCase(.noRewriter, secondary: edit("\n-object filter-rewriter,id=rew0,netdev=hn0,queue=all", ""), mentions: "filter-rewriter"),
    RuleCase(.rewriterBypassed, secondary: edit("id=rew0,netdev=hn0,queue=all", "id=rew0,netdev=hn0,queue=all,position=head"), mentions: "f2"),
    RuleCase(.compareUnfed, primary: both(
        edit("queue=rx,outdev=compare0", "queue=rx,outdev=spare0"),
        append("-chardev socket,id=spare0,host=127.0.0.1,port=9010,server=on,wait=off\n-chardev socket,id=spare1,host=127.0.0.1,port=9010")),
             mentions: "nothing uses"),
    RuleCase(.startOrder, secondary: edit("port=9003,reconnect=1", "port=9003"), startedFirst: .secondary, mentions: "connection refused"),
    RuleCase(.startOrder, primary: edit("id=mirror0,host=127.0.0.1,port=9003,server=on,wait=off", "id=mirror0,host=127.0.0.1,port=9003"),
             secondary: edit("id=red0,host=127.0.0.1,port=9003,reconnect=1", "id=red0,host=127.0.0.1,port=9003,server=on,wait=off"),
             mentions: "secondary would have to start first"),
    RuleCase(.notifyDevWithoutXen, primary: both(
        edit("iothread=iothread", "iothread=iothread,notify_dev=nd0"),
        append("-chardev socket,id=nd0,path=/tmp/lockstep-notify.sock,server=on,wait=off")), mentions: "Xen"),
    RuleCase(.filterStatusOff, secondary: edit("queue=all", "queue=all,status=off"), mentions: "status=off"),
    RuleCase(.nonLoopbackAddress, primary: edit("127.0.0.1", "10.0.0.1"), secondary: edit("127.0.0.1", "10.0.0.1"), mentions: "host:port"),
    RuleCase(.netdevWithoutNIC, primary: append("-netdev user,id=spare"), mentions: "no peer"),
    RuleCase(.missingCOLOComponent, primary: edit("\n-object filter-mirror,id=m0,netdev=hn0,queue=tx,outdev=mirror0", ""), mentions: "no filter-mirror"),
    RuleCase(.legacyNetOption, primary: append("-nic user,model=e1000"), mentions: "-netdev"),
    RuleCase(.nothingToCheck, primary: { _ in "# nothing\nqemu-system-x86_64" }, secondary: { _ in "" }, mentions: "nothing COLO to check"),
]

@Suite("Lint rules")
struct LintRuleTests {
    @Test("The reference topology lints clean")
    func referenceIsClean() throws {
        let report = try QEMUArgsLinter.lint(primary: Fixtures.referencePrimary, secondary: Fixtures.referenceSecondary)
        #expect(report.findings.isEmpty, "\(report.text())")
        #expect(QEMUArgsLinter.lint(.reference).findings.isEmpty)
    }

    @Test("The rule list (lint --list-rules) has one line per rule, in id order, with its default severity")
    func ruleList() {
        let lines = LintRule.list.split(separator: "\n").map(String.init)
        #expect(lines.count == LintRule.allCases.count)
        #expect(lines.first == "L001 \(LintRule.unknownOption.name) [error]: \(LintRule.unknownOption.summary)")
        #expect(lines.map { String($0.prefix(4)) } == LintRule.allCases.map(\.id))
    }

    @Test("Every rule has a case that breaks only that rule")
    func everyRuleCovered() {
        let covered = Set(ruleCases.map(\.rule))
        #expect(LintRule.allCases.filter { !covered.contains($0) } == [])
    }

    @Test("A command line that breaks one rule gets findings of that rule only", arguments: ruleCases)
    func onlyThatRule(_ ruleCase: RuleCase) throws {
        let report = try QEMUArgsLinter.lint(
            primary: ruleCase.primary,
            secondary: ruleCase.secondary,
            options: LintOptions(startedFirst: ruleCase.startedFirst)
        )
        #expect(report.rules == [ruleCase.rule], "\(report.text())")
        let findings = report.findings.filter { $0.rule == ruleCase.rule }
        #expect(!findings.isEmpty)
        // L054 is about the lines as a whole: there is no argument to name.
        #expect(ruleCase.rule == .nothingToCheck || findings.allSatisfy { $0.argument != nil }, "every finding names its argument")
        #expect(findings.contains { $0.message.contains(ruleCase.mentions) || ($0.hint ?? "").contains(ruleCase.mentions) }, "\(report.text())")
    }
}
