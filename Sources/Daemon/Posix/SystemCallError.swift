import Glibc

/// A failed system call: what was attempted, on what, and the system's reason.
public struct SystemCallError: Error, Sendable, Hashable, CustomStringConvertible {
    public var operation: String
    public var target: String
    /// errno, or 0 when the reason is not an errno (name resolution).
    public var code: Int32
    public var reason: String

    public init(_ operation: String, target: String, code: Int32) {
        self.operation = operation
        self.target = target
        self.code = code
        reason = String(cString: strerror(code))
    }

    public init(_ operation: String, target: String, reason: String) {
        self.operation = operation
        self.target = target
        code = 0
        self.reason = reason
    }

    public var description: String { "\(operation) \(target): \(reason)" }
}
