import Deployment

/// Why `lockstep serve` cannot start. QEMU exits with status 1 in every one of these cases
/// (7.2 aborts instead for some colo-compare completion errors, see docs/qemu-args.md).
public enum ServeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// QEMU itself would refuse the command line; the findings say where and why.
    case rejected([LintFinding])
    /// QEMU accepts it, but the daemon does not do it (it runs standalone compares only).
    case unsupported(argument: String, reason: String)
    /// The command line starts no colo-compare.
    case nothingToServe
    /// colo-compare completion refused the object (C-1).
    case compareSetup(compare: String, detail: String)
    /// A chardev could not be opened (bind, listen, or a client's first connect).
    case chardevOpen(chardev: String, detail: String)
    /// Any other system call failed during start-up.
    case system(SystemCallError)

    public var description: String {
        switch self {
        case .rejected(let findings):
            (["QEMU would refuse this command line:"] + findings.map { "  " + LintReport.headline(of: $0) })
                .joined(separator: "\n")
        case .unsupported(let argument, let reason):
            "\(argument): \(reason)"
        case .nothingToServe:
            "no -object colo-compare on the command line: nothing to serve"
        case .compareSetup(let compare, let detail):
            "colo-compare '\(compare)': \(detail)"
        case .chardevOpen(let chardev, let detail):
            "-chardev \(chardev): \(detail)"
        case .system(let error):
            error.description
        }
    }
}
