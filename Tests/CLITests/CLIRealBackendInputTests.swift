import Foundation
import Testing
import LockstepTestSupport

/// `--backend qemu=PATH` and `diff-backends --qemu PATH` with a QEMU that cannot be used: one
/// line on stderr, exit 2, before anything starts (no QEMU needed).
@Suite("lockstep with an unusable QEMU")
struct CLIRealBackendInputTests {
    let binary: URL
    let scenarios: String

    init() throws {
        binary = try #require(LockstepBinary.locate(), "\(LockstepBinary.notFoundMessage)")
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        scenarios = root.appendingPathComponent("scenarios").path
    }

    private func expectOneLine(_ arguments: [String], mentioning texts: [String]) throws {
        let result = try LockstepBinary.run(binary, arguments)
        #expect(result.status == 2, "status \(result.status), stderr: \(result.error)")
        let lines = result.error.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "stderr: \(result.error)")
        for text in texts { #expect(result.error.contains(text), "stderr: \(result.error)") }
    }

    @Test("A QEMU path that does not exist: run, test and diff-backends say so in one line")
    func missing() throws {
        let scenario = scenarios + "/clean-run.yaml"
        try expectOneLine(["run", scenario, "--backend", "qemu=/nonexistent/qemu"], mentioning: ["QEMU not found", "/nonexistent/qemu"])
        try expectOneLine(["test", scenarios, "--backend", "qemu=/nonexistent/qemu"], mentioning: ["QEMU not found"])
        try expectOneLine(["diff-backends", scenario, "--qemu", "/nonexistent/qemu"], mentioning: ["QEMU not found"])
    }

    @Test("A QEMU older than 7.2: the version found and the one needed")
    func tooOld() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("old-qemu-\(UUID().uuidString)").path
        try "#!/bin/sh\necho 'QEMU emulator version 6.2.0'\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try expectOneLine(["run", scenarios + "/clean-run.yaml", "--backend", "qemu=\(path)"], mentioning: ["version 6.2.0", "7.2.0 or newer"])
    }

    @Test("--backend takes emulated, qemu or qemu=PATH only; --check-determinism does not apply to QEMU")
    func badBackend() throws {
        let result = try LockstepBinary.run(binary, ["run", "--backend", "kvm"])
        #expect(result.status != 0)
        #expect(result.error.contains("--backend"))
        let determinism = try LockstepBinary.run(binary, ["run", "--backend", "qemu", "--check-determinism"])
        #expect(determinism.status != 0)
        #expect(determinism.error.contains("never the same twice"))
    }
}
