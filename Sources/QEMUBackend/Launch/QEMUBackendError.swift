/// Why a real-QEMU run could not start or had to stop. Each description is one line that names
/// what went wrong (the argument QEMU rejected, the version found, the step that hung), then
/// QEMU's stderr where there is one.
public enum QEMUBackendError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No executable QEMU at the path given (or on `$PATH`).
    case missing(String)
    /// The binary runs but is older than the backend needs, or does not say its version.
    case tooOld(path: String, version: String, required: String)
    /// QEMU exited at start-up; `argument` is the option it named in its error.
    case rejected(host: String, argument: String?, message: String, stderr: String)
    /// QEMU refused a QMP command the backend needs.
    case commandRefused(host: String, command: String, reply: String)
    /// QEMU exited or was killed while the run needed it.
    case crashed(host: String, status: String, during: String, stderr: String)
    /// QEMU stopped answering (QMP or the migration stream) for longer than the limit.
    case hung(host: String, waitingFor: String, seconds: Double, stderr: String)
    /// The topology has something the real backend cannot run.
    case unsupportedTopology(String)
    /// A socket or directory the backend needs could not be made.
    case setup(String)

    public var description: String {
        switch self {
        case .missing(let path):
            "QEMU not found: \(path) is not an executable (install qemu-system-x86 or pass --backend qemu=PATH)"
        case let .tooOld(path, version, required):
            "QEMU \(path) is version \(version); the real backend needs \(required) or newer (-netdev dgram, x-colo)"
        case let .rejected(host, argument, message, stderr):
            "the \(host) QEMU rejected " + (argument.map { "'\($0)'" } ?? "its command line") + ": \(message)" + Self.tail(stderr)
        case let .commandRefused(host, command, reply):
            "the \(host) QEMU refused \(command): \(reply)"
        case let .crashed(host, status, during, stderr):
            "the \(host) QEMU exited (\(status)) while \(during)" + Self.tail(stderr)
        case let .hung(host, waitingFor, seconds, stderr):
            "the \(host) QEMU hung: no \(waitingFor) within \(seconds) s" + Self.tail(stderr)
        case .unsupportedTopology(let what):
            "the real backend cannot run this topology: \(what)"
        case .setup(let what):
            "real backend set-up failed: \(what)"
        }
    }

    /// The first line alone (what a table row or a CLI error shows).
    public var headline: String {
        String(description.split(separator: "\n", maxSplits: 1).first ?? "")
    }

    private static func tail(_ stderr: String) -> String {
        let lines = stderr.split(separator: "\n").filter { !$0.contains(": colo_") && !$0.contains("hub 0 with no nics") }
        guard !lines.isEmpty else { return "" }
        return "\nQEMU stderr (last lines):\n" + lines.suffix(12).joined(separator: "\n")
    }
}
