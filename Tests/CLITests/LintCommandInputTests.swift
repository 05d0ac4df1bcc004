import Foundation
import Testing
import LockstepTestSupport

/// `lockstep lint`, `figure` and `qemu-args` on hostile or degenerate input, and the version
/// they say they assumed.
@Suite("lockstep lint, figure and qemu-args on odd input")
struct LintCommandInputTests {
    let binary: URL
    let directory: URL

    init() throws {
        binary = try #require(LockstepBinary.locate(), "\(LockstepBinary.notFoundMessage)")
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("lockstep-lint-cli-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    private func file(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test("/dev/zero and /dev/urandom: exit 2 with one line naming the file and the 2 MiB limit", arguments: ["/dev/zero", "/dev/urandom"])
    func endlessFiles(_ path: String) throws {
        let empty = try file("empty.args", "")
        for command in [["lint", path, empty], ["figure", "--primary", path, "--secondary", empty]] {
            let result = try LockstepBinary.run(binary, command)
            #expect(result.status == 2, "\(command): status \(result.status)")
            #expect(result.error.contains("cannot read \(path): it holds more than 2 MiB"), "\(result.error)")
            #expect(result.error.split(separator: "\n").count == 1)
        }
    }

    @Test("A NUL byte: exit 2 naming its line and column")
    func nulByte() throws {
        let binaryFile = directory.appendingPathComponent("nul.args")
        try Data("-netdev tap,id=hn0\n-m 6\u{0}4\n".utf8).write(to: binaryFile)
        let result = try LockstepBinary.run(binary, ["lint", binaryFile.path, binaryFile.path])
        #expect(result.status == 2)
        #expect(result.error.contains("line 2, column 5 holds a NUL byte"), "\(result.error)")
    }

    @Test("Empty, comment-only and program-name-only files: exit 1, nothing COLO to check")
    func nothingToCheck() throws {
        let empty = try file("nothing.args", "# nothing here\n\nqemu-system-x86_64 \\\n")
        let result = try LockstepBinary.run(binary, ["lint", empty, empty, "--qemu-version", "7.2"])
        #expect(result.status == 1)
        #expect(result.output.contains("L054 nothing-to-check"), "\(result.output)")
        #expect(result.output.hasPrefix("checked against QEMU 7.2 (--qemu-version 7.2)"))
    }

    @Test("qemu-args writes reconnect for 7.2 and reconnect-ms for upstream, and says for which")
    func exportPerVersion() throws {
        let old = try LockstepBinary.run(binary, ["qemu-args", "--qemu-version", "7.2"])
        #expect(old.status == 0)
        #expect(old.output.contains("reconnect=1") && !old.output.contains("reconnect-ms"))
        #expect(old.output.contains("for QEMU 7.2"))
        let new = try LockstepBinary.run(binary, ["qemu-args", "--qemu-version", "upstream"])
        #expect(new.output.contains("reconnect-ms=1000") && !new.output.contains("reconnect=1"))
        #expect(new.output.contains("for upstream QEMU 10.2"))
        let primary = try file("up-p.args", try LockstepBinary.run(binary, ["qemu-args", "--host", "primary", "--qemu-version", "upstream"]).output)
        let secondary = try file("up-s.args", try LockstepBinary.run(binary, ["qemu-args", "--host", "secondary", "--qemu-version", "upstream"]).output)
        let lint = try LockstepBinary.run(binary, ["lint", primary, secondary, "--qemu-version", "upstream"])
        #expect(lint.status == 0, "\(lint.output)")
    }

    @Test("--format json names the version assumed and each finding's claim")
    func jsonClaims() throws {
        let primary = try file("p.args", try LockstepBinary.run(binary, ["qemu-args", "--host", "primary", "--qemu-version", "7.2"]).output + "\n-enable-kvmm\n")
        let secondary = try file("s.args", try LockstepBinary.run(binary, ["qemu-args", "--host", "secondary", "--qemu-version", "7.2"]).output)
        let result = try LockstepBinary.run(binary, ["lint", primary, secondary, "--format", "json", "--qemu-version", "7.2"])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect((object["qemu"] as? [String: String])?["version"] == "7.2")
        let finding = try #require((object["findings"] as? [[String: Any]])?.first)
        #expect(finding["qemu"] as? [String: String] == ["version": "7.2", "outcome": "refused", "message": "-enable-kvmm: invalid option", "match": "exact"])
    }
}
