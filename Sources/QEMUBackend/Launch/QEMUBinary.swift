import Glibc
import Fabric
import QEMUHarness

/// A QEMU binary the backend will run: its path and version, checked before anything starts.
public struct QEMUBinary: Sendable, Hashable {
    /// The oldest QEMU with everything the backend uses: `-netdev dgram` (7.2) and x-colo.
    public static let minimumVersion = [7, 2, 0]

    public let path: String
    /// As `--version` prints it, e.g. `7.2.22`.
    public let version: String

    /// `path` when given, else `$LOCKSTEP_QEMU`, else `qemu-system-x86_64` on `$PATH`.
    public static func resolve(_ path: String?) throws(QEMUBackendError) -> QEMUBinary {
        let candidate: String
        if let path, !path.isEmpty {
            candidate = path
        } else if let found = QEMULocator.find() {
            candidate = found
        } else {
            throw .missing("\(QEMULocator.binaryName) (on $PATH or $\(QEMULocator.overrideVariable))")
        }
        guard access(candidate, X_OK) == 0 else { throw .missing(candidate) }
        let version = try Self.version(of: candidate)
        guard let numbers = Self.numbers(version), !numbers.lexicographicallyPrecedes(minimumVersion) else {
            throw .tooOld(path: candidate, version: version, required: minimumVersion.map(String.init).joined(separator: "."))
        }
        return QEMUBinary(path: candidate, version: version)
    }

    /// Runs `PATH --version` (through `sh`, since the spawner keeps only stderr) and reads the
    /// number after "version".
    private static func version(of path: String) throws(QEMUBackendError) -> String {
        var template = Array("/tmp/lockstep-qemu-version.XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw .setup("mkstemp: \(String(cString: strerror(errno)))") }
        close(descriptor)
        let output = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer { unlink(output) }
        let spawned = ProcessSpawner.spawn(
            executable: "/bin/sh", arguments: ["-c", "exec \"$0\" --version 1>&2", path], stderrPath: output)
        guard case .success(let pid) = spawned else { throw .missing(path) }
        // A binary that does not answer `--version` within 5 s is not a QEMU we can drive.
        var waited = 0
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if waited >= 5_000 {
                _ = ProcessSpawner.killAndReap(pid)
                throw .tooOld(path: path, version: "unknown (no answer to --version)", required: "7.2")
            }
            usleep(10_000)
            waited += 10
        }
        let text = ProcessSpawner.head(ofFile: output, limit: 4_096)
        guard let range = text.range(of: "version ") else {
            throw .tooOld(path: path, version: "unknown (\(text.split(separator: "\n").first ?? "no output"))", required: "7.2")
        }
        return String(text[range.upperBound...].prefix { $0.isNumber || $0 == "." })
    }

    static func numbers(_ version: String) -> [Int]? {
        let parts = version.split(separator: ".").map { Int($0) }
        guard parts.count >= 2, parts.allSatisfy({ $0 != nil }) else { return nil }
        return parts.compactMap { $0 } + Array(repeating: 0, count: max(0, 3 - parts.count))
    }
}
