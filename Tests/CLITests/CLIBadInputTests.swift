import Foundation
import Testing
import LockstepTestSupport

/// The `lockstep` executable on bad input: one clear line on stderr and the promised exit
/// status, never a crash or a hang.
@Suite("lockstep on bad input")
struct CLIBadInputTests {
    let binary: URL
    let directory: URL

    init() throws {
        binary = try #require(LockstepBinary.locate(), "\(LockstepBinary.notFoundMessage)")
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("lockstep-cli-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    private func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// A pcap global header (microseconds, version 2.4, snaplen 65535) with `linkType` and no records.
    private func emptyCapture(_ name: String, linkType: UInt32) throws -> String {
        var header: [UInt8] = [0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0]
        header += withUnsafeBytes(of: linkType.littleEndian, Array.init)
        return try file(name, header)
    }

    private func expectOneLineError(_ arguments: [String], status expected: Int32, mentioning text: String,
                                    sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try LockstepBinary.run(binary, arguments)
        #expect(result.status == expected, "status \(result.status), stderr: \(result.error)", sourceLocation: sourceLocation)
        let lines = result.error.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "stderr: \(result.error)", sourceLocation: sourceLocation)
        #expect(result.error.contains(text), "stderr: \(result.error)", sourceLocation: sourceLocation)
    }

    @Test("--version prints the version")
    func version() throws {
        let result = try LockstepBinary.run(binary, ["--version"])
        #expect(result.status == 0 && result.output.hasPrefix("0."))
    }

    @Test("compare: a missing file, a file that is not a capture, a non-Ethernet capture: exit 2")
    func compareBadFiles() throws {
        let good = try emptyCapture("good.pcap", linkType: 1)
        let missing = directory.appendingPathComponent("missing.pcap").path
        try expectOneLineError(["compare", missing, good], status: 2, mentioning: "missing.pcap")
        let text = try file("notes.txt", Array("not a capture\n".utf8))
        try expectOneLineError(["compare", good, text], status: 2, mentioning: "notes.txt")
        let raw = try emptyCapture("raw.pcap", linkType: 101)
        try expectOneLineError(["compare", raw, good], status: 2, mentioning: "raw.pcap")
    }

    @Test("rewrite: bad files and a bad --guest-ip: exit 2")
    func rewriteBadInput() throws {
        let good = try emptyCapture("good.pcap", linkType: 1)
        let out = directory.appendingPathComponent("out.pcap").path
        let missing = directory.appendingPathComponent("missing.pcap").path
        try expectOneLineError(["rewrite", missing, "--guest-ip", "10.0.0.1", "--out", out], status: 2, mentioning: "missing.pcap")
        let truncated = try file("truncated.pcap", [0xd4, 0xc3, 0xb2, 0xa1, 2, 0])
        try expectOneLineError(["rewrite", truncated, "--guest-ip", "10.0.0.1", "--out", out], status: 2, mentioning: "truncated.pcap")
        let result = try LockstepBinary.run(binary, ["rewrite", good, "--guest-ip", "10.0.0.300", "--out", out])
        #expect(result.status == 2, "stderr: \(result.error)")
        #expect(result.error.contains("10.0.0.300"))
    }

    @Test("lint: an unreadable argument file: exit 2")
    func lintUnreadable() throws {
        let missing = directory.appendingPathComponent("primary.args").path
        let secondary = try file("secondary.args", Array("-netdev tap,id=hn0\n".utf8))
        let result = try LockstepBinary.run(binary, ["lint", missing, secondary])
        #expect(result.status == 2, "stderr: \(result.error)")
        #expect(result.error.contains("primary.args"))
    }

    @Test("an unknown subcommand or option is refused with a usage error")
    func unknownOption() throws {
        let result = try LockstepBinary.run(binary, ["compare", "a.pcap", "b.pcap", "--no-such-option"])
        #expect(result.status != 0)
        #expect(result.error.contains("no-such-option"))
    }

    @Test("run FILE refuses an option the scenario file decides, instead of ignoring it")
    func scenarioFileRefusesItsOwnOptions() throws {
        let scenario = FuzzCLITests.library + "/clean-run.yaml"
        try expectOneLineError(["run", scenario, "--connections", "3"], status: 64, mentioning: "--connections does not apply to a scenario file")
        try expectOneLineError(["run", scenario, "--no-divergence"], status: 64, mentioning: "--no-divergence does not apply to a scenario file")
    }

    @Test("run FILE --seed replaces the file's seed: another seed, another trace; the same seed, the same trace")
    func scenarioFileTakesSeed() throws {
        let scenario = FuzzCLITests.library + "/primary-failover.yaml"
        func hash(_ extra: [String]) throws -> String {
            let result = try LockstepBinary.run(binary, ["run", scenario] + extra)
            #expect(result.status == 0, "\(result.output)\(result.error)")
            return result.output.split(separator: "\n").first { $0.hasPrefix("trace:") }.map(String.init) ?? ""
        }
        let own = try hash([])
        #expect(try hash(["--seed", "1"]) == own)
        #expect(try hash(["--seed", "5"]) != own)
        #expect(try hash(["--seed", "5"]) == hash(["--seed", "5"]))
    }
}

