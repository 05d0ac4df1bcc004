import Fabric

/// What a finding says real QEMU does with the command line, in a form a program can check
/// against a run (the differential test does): the outcome, and the text QEMU prints.
public struct QEMUClaim: Sendable, Hashable {
    /// How the QEMU process ends up.
    public enum Outcome: String, Sendable, Hashable, CaseIterable, Codable {
        /// Exits with status 1, printing `message`.
        case refused
        /// Dies on a signal (an assertion), printing `message`.
        case aborted
        /// Never finishes starting: blocks in a wait nothing will end.
        case hung
        /// Waits for the other host (a client to connect) before it finishes starting.
        case blocked
        /// Starts. A `message` is a warning it prints while starting; the finding is about what
        /// then happens on the network path, which a start cannot show.
        case started
        /// Depends on the machine QEMU runs on (what a host name resolves to there): the lint
        /// cannot tell. `message` is what QEMU prints when it refuses.
        case depends

        /// True for the outcomes that stop QEMU from running.
        public var isFailure: Bool { self == .refused || self == .aborted || self == .hung }
    }

    /// Text QEMU prints on standard error.
    public enum Message: Sendable, Hashable, CustomStringConvertible {
        /// Appears verbatim (QEMU prefixes it with the program and the option).
        case exact(String)
        /// A regular expression one line of standard error matches.
        case pattern(String)

        public var text: String {
            switch self {
            case .exact(let text), .pattern(let text): text
            }
        }

        public var description: String {
            switch self {
            case .exact(let text): "'\(text)'"
            case .pattern(let text): "/\(text)/"
            }
        }
    }

    public var version: QEMUVersion
    public var outcome: Outcome
    public var message: Message?

    public init(_ outcome: Outcome, _ message: Message? = nil, version: QEMUVersion) {
        self.outcome = outcome
        self.message = message
        self.version = version
    }

    public static func refused(_ text: String, version: QEMUVersion) -> QEMUClaim {
        QEMUClaim(.refused, .exact(text), version: version)
    }

    public static func started(version: QEMUVersion, warning: String? = nil) -> QEMUClaim {
        QEMUClaim(.started, warning.map { .exact($0) }, version: version)
    }

    /// 7.2's colo-compare teardown after a failed completion: the mutex it destroys was never
    /// initialised (C-1 errors never reach the screen).
    public static let compareTeardownAbort = "qemu_mutex_destroy: Assertion `mutex->initialized' failed."

    /// `{"version": ..., "outcome": ..., "message": ..., "match": "exact"|"pattern"}`.
    func json() -> String {
        var fields = ["\"version\": \(JSONString.quote(version.rawValue))", "\"outcome\": \(JSONString.quote(outcome.rawValue))"]
        switch message {
        case .exact(let text):
            fields += ["\"message\": \(JSONString.quote(text))", "\"match\": \"exact\""]
        case .pattern(let text):
            fields += ["\"message\": \(JSONString.quote(text))", "\"match\": \"pattern\""]
        case nil:
            break
        }
        return "{" + fields.joined(separator: ", ") + "}"
    }
}

extension QEMUVersion: Codable {}

extension QEMUClaim: Codable {
    private enum CodingKeys: String, CodingKey {
        case version, outcome, message, match
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(outcome, forKey: .outcome)
        if let message {
            try container.encode(message.text, forKey: .message)
            if case .pattern = message {
                try container.encode("pattern", forKey: .match)
            } else {
                try container.encode("exact", forKey: .match)
            }
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(QEMUVersion.self, forKey: .version)
        outcome = try container.decode(Outcome.self, forKey: .outcome)
        let text = try container.decodeIfPresent(String.self, forKey: .message)
        let match = try container.decodeIfPresent(String.self, forKey: .match)
        message = text.map { match == "pattern" ? .pattern($0) : .exact($0) }
    }
}
