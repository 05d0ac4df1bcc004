import Fabric

/// Everything that can go wrong while driving a real QEMU as an oracle.
///
/// Every case that involves a running QEMU carries its stderr, because QEMU reports
/// configuration mistakes and framing errors only there.
public enum OracleError: Error, CustomStringConvertible, Sendable {
    /// `qemu-system-x86_64` (or the binary named by `LOCKSTEP_QEMU`) was not found.
    case qemuMissing(searched: String)
    case socketPathTooLong(path: String, limit: Int)
    case systemCall(operation: String, errno: Int32, detail: String)
    case spawnFailed(executable: String, errno: Int32)
    /// QEMU exited while the harness was waiting for it.
    case qemuExited(status: String, during: String, stderr: String)
    /// An expected effect did not arrive in time.
    case timedOut(waitingFor: String, seconds: Double, stderr: String)
    /// QEMU wrote a record our reader could not frame (e.g. a length beyond the reader capacity).
    case malformedOutput(channel: String, detail: String, stderr: String)
    case qmpFailed(command: String, response: String, stderr: String)
    /// A test frame collides with the barrier marker the harness reserves for itself.
    case reservedFrame(input: String)
    /// A test frame no record can carry (W-1: longer than the 32-bit length field).
    case unframeableInput(input: String, reason: RecordEncodingError)

    public var description: String {
        switch self {
        case .qemuMissing(let searched):
            return "QEMU not found (looked for \(searched)); install qemu-system-x86 or set LOCKSTEP_QEMU"
        case .socketPathTooLong(let path, let limit):
            return "unix socket path \(path) is longer than the sun_path limit of \(limit) bytes"
        case .systemCall(let operation, let errno, let detail):
            return "\(operation) failed with errno \(errno)\(detail.isEmpty ? "" : " (\(detail))")"
        case .spawnFailed(let executable, let errno):
            return "could not start \(executable): errno \(errno)"
        case .qemuExited(let status, let during, let stderr):
            return "QEMU exited (\(status)) while \(during)\(Self.stderrSuffix(stderr))"
        case .timedOut(let waitingFor, let seconds, let stderr):
            return "timed out after \(seconds) s waiting for \(waitingFor)\(Self.stderrSuffix(stderr))"
        case .malformedOutput(let channel, let detail, let stderr):
            return "malformed record on \(channel): \(detail)\(Self.stderrSuffix(stderr))"
        case .qmpFailed(let command, let response, let stderr):
            return "QMP command \(command) failed: \(response)\(Self.stderrSuffix(stderr))"
        case .reservedFrame(let input):
            return "\(input) is byte-identical to a harness barrier marker; use another EtherType or source MAC"
        case .unframeableInput(let input, let reason):
            return "cannot send on \(input): \(reason)"
        }
    }

    private static func stderrSuffix(_ stderr: String) -> String {
        stderr.isEmpty ? "; QEMU stderr was empty" : "; QEMU stderr:\n\(stderr)"
    }
}
