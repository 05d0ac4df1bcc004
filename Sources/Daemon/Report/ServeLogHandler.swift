import Glibc
import Logging

/// Operational messages on stderr, one line each: `lockstep serve: LEVEL: message [key=value]`.
/// No timestamps (QEMU's error_report prints none by default either); the decision log has times.
public struct ServeLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let prefix: String

    public init(label: String, level: Logger.Level, prefix: String = "lockstep serve") {
        logLevel = level
        self.prefix = prefix
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = "\(prefix): \(event.level): \(event.message)"
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        if !merged.isEmpty {
            line += " " + merged.keys.sorted().map { "\($0)=\(merged[$0].map { "\($0)" } ?? "")" }.joined(separator: " ")
        }
        StandardError.write(line + "\n")
    }

    /// A logger writing through this handler.
    public static func logger(level: Logger.Level) -> Logger {
        Logger(label: "lockstep.serve") { ServeLogHandler(label: $0, level: level) }
    }
}
