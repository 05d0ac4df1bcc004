import Foundation
import Testing
@testable import QEMUBackend

/// A missing or too old QEMU is refused before anything starts, with one line.
@Suite("Real backend: which QEMU binaries it accepts")
struct QEMUBinaryTests {
    func script(_ body: String) throws -> String {
        let path = NSTemporaryDirectory() + "fake-qemu-\(UUID().uuidString).sh"
        try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    @Test("A path that is not an executable is 'not found'")
    func missing() {
        #expect(throws: QEMUBackendError.missing("/nonexistent/qemu")) { try QEMUBinary.resolve("/nonexistent/qemu") }
    }

    @Test("QEMU 6.2 is too old, and the line says which version was found and which is needed")
    func tooOld() throws {
        let path = try script("echo 'QEMU emulator version 6.2.0 (Debian 1:6.2+dfsg-2ubuntu6)'")
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try QEMUBinary.resolve(path)
            Issue.record("a 6.2 QEMU was accepted")
        } catch {
            #expect(error == .tooOld(path: path, version: "6.2.0", required: "7.2.0"))
            #expect(error.headline.contains("version 6.2.0"))
        }
    }

    @Test("A program that does not say a QEMU version is refused")
    func notQEMU() throws {
        let path = try script("echo hello")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: QEMUBackendError.self) { try QEMUBinary.resolve(path) }
    }
}
