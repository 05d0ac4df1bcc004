import Fabric

/// Per-guest sources of divergence in application behaviour. Two guests given the same input
/// produce the same output unless a knob here (or a stack knob: ISN, IP ID, timestamp offset,
/// ephemeral ports) differs or draws differently.
public struct DivergenceKnobs: Sendable, Hashable {
    /// Fraction of outputs (responses, echoed chunks, replies) that carry a token.
    public var tokenRate = Rate.never
    public var tokenKind = TokenKind.random
    /// Delay before an application answers.
    public var processingDelay: VirtualDuration = .zero
    /// A uniform extra delay in `0...processingJitter`, drawn per answer.
    public var processingJitter: VirtualDuration = .zero

    public init(tokenRate: Rate = .never, tokenKind: TokenKind = .random,
                processingDelay: VirtualDuration = .zero, processingJitter: VirtualDuration = .zero) {
        self.tokenRate = tokenRate
        self.tokenKind = tokenKind
        self.processingDelay = processingDelay
        self.processingJitter = processingJitter
    }

    public enum TokenKind: String, Sendable, Hashable {
        /// 16 hex digits drawn from the chooser.
        case random
        /// The host's virtual time in nanoseconds, as 16 hex digits.
        case timestamp
    }
}

/// A probability as a fraction, so configurations stay exact.
public struct Rate: Sendable, Hashable, CustomStringConvertible {
    public var numerator: UInt64
    public var denominator: UInt64

    public init(_ numerator: UInt64, per denominator: UInt64) {
        self.numerator = numerator
        self.denominator = max(1, denominator)
    }

    /// Parts per million, as command-line options give them.
    public static func perMillion(_ value: UInt64) -> Rate { Rate(value, per: 1_000_000) }
    public static let never = Rate(0, per: 1)
    public static let always = Rate(1, per: 1)

    public var isNever: Bool { numerator == 0 }
    public var description: String { "\(numerator)/\(denominator)" }
}

/// A host's identity: its name and knobs, with the choice points they use.
struct HostIdentity: Sendable, Hashable {
    let name: String
    let knobs: DivergenceKnobs
    let tokenPoint: ChoicePoint
    let tokenValuePoint: ChoicePoint
    let delayPoint: ChoicePoint

    init(name: String, knobs: DivergenceKnobs) {
        self.name = name
        self.knobs = knobs
        tokenPoint = ChoicePoint(.other, "\(name) app-token")
        tokenValuePoint = ChoicePoint(.other, "\(name) app-token-value")
        delayPoint = ChoicePoint(.jitter, "\(name) app-delay")
    }
}

/// What an application may use besides its stack during one call: the host's identity and
/// knobs, and the chooser of the call (never to be stored).
public struct HostContext {
    let identity: HostIdentity
    public let chooser: any Chooser
    /// The TCP sockets that had an event (data, connection, close, send space) since the
    /// applications last ran; nil when any socket may have changed (start). Applications may
    /// step only these sockets plus those whose own deadlines are due.
    public let socketsWithEvents: [SocketHandle]?

    init(identity: HostIdentity, chooser: any Chooser, socketsWithEvents: [SocketHandle]? = nil) {
        self.identity = identity
        self.chooser = chooser
        self.socketsWithEvents = socketsWithEvents
    }

    public var name: String { identity.name }
    public var knobs: DivergenceKnobs { identity.knobs }
    var tokenPoint: ChoicePoint { identity.tokenPoint }
    var tokenValuePoint: ChoicePoint { identity.tokenValuePoint }
    var delayPoint: ChoicePoint { identity.delayPoint }

    /// Processing delay for one answer: the fixed delay plus a drawn jitter.
    public func processingDelay() -> VirtualDuration {
        knobs.processingDelay + chooser.chooseDuration(delayPoint, upTo: knobs.processingJitter)
    }

    /// Overwrites the start of `bytes[range]` with a token, if the rate draw says so.
    /// Returns whether a token was written.
    @discardableResult
    public func applyToken(to bytes: inout [UInt8], in range: Range<Int>, now: VirtualTime) -> Bool {
        guard !range.isEmpty, !knobs.tokenRate.isNever,
              chooser.chooseEvent(tokenPoint, numerator: knobs.tokenRate.numerator, denominator: knobs.tokenRate.denominator)
        else { return false }
        let value: UInt64 = switch knobs.tokenKind {
        case .random: chooser.choose(tokenValuePoint, upTo: .max)
        case .timestamp: UInt64(bitPattern: now.nanoseconds)
        }
        let hex = Array(String(value, radix: 16).utf8)
        let token = [UInt8](repeating: UInt8(ascii: "0"), count: 16 - hex.count) + hex
        for (offset, byte) in token.prefix(range.count).enumerated() {
            bytes[range.lowerBound + offset] = byte
        }
        return true
    }
}
