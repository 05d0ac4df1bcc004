import Fabric
import Primary
import Secondary
import COLORuntime

/// A run's log for a person: one line per entry (virtual time, host, source, a sentence), the
/// sentences taken from the describers the capture tools and reports already use, and a
/// `>>> VIOLATION` line where a broken check became true (`ViolationPoint`).
public enum ExplainedTrace {
    public struct Options: Sendable, Hashable {
        /// Every entry, past the violation too, with no line limit.
        public var full: Bool
        /// Without `full`: at most this many lines before the stop; earlier entries are skipped.
        public var maxLines: Int

        public init(full: Bool = false, maxLines: Int = 400) {
            self.full = full
            self.maxLines = maxLines
        }
    }

    /// The trace of `entries` up to the earliest located violation (or the end), then a line
    /// saying what was cut.
    public static func render(_ entries: [RunLogEntry], violations: [ViolationPoint], options: Options = Options()) -> String {
        let stop = stopPosition(violations, total: entries.count, options: options)
        return render(kept: entries[..<stop], from: 0, total: entries.count, violations: violations, options: options)
    }

    /// Where the trace stops: the end with `full`, else the earliest located violation.
    public static func stopPosition(_ violations: [ViolationPoint], total: Int, options: Options) -> Int {
        options.full ? total : (violations.compactMap(\.entryCount).map { min(max($0, 0), total) }.min() ?? total)
    }

    /// The same trace from only the entries it may show: `kept` holds log positions
    /// `first..<stop` (`stopPosition`) of a log of `total` entries, all of them with `full`,
    /// otherwise at least the last `maxLines` (each entry takes a line or more), as a
    /// `RunLogTail` keeps them.
    public static func render<Kept: RandomAccessCollection<RunLogEntry>>(
        kept: Kept, from first: Int, total: Int, violations: [ViolationPoint], options: Options = Options()
    ) -> String {
        let stop = first + kept.count
        let markers = markers(violations, total: total, stop: stop)
        // Entries are explained backwards from the stop, so a long run costs only the lines shown.
        var groups: [[String]] = []
        var lineCount = 0
        var shown = kept.endIndex
        while shown > kept.startIndex {
            let group = lines(kept[kept.index(before: shown)])
            guard options.full || lineCount + group.count <= options.maxLines else { break }
            groups.append(group)
            lineCount += group.count
            shown = kept.index(before: shown)
        }
        groups.reverse()
        let skipped = stop - groups.count
        var out = ["explained trace: \(total) log entries" + (skipped > 0 ? "" : ", from the start of the run")]
        if skipped > 0 {
            out.append("... \(skipped) earlier entries skipped (--max-lines \(options.maxLines); --full shows every entry)")
        }
        // Keys are positions (Ints) looked up in order, so the dictionary's order never matters.
        if skipped == 0, let atStart = markers[0] { out += atStart }
        for (offset, group) in groups.enumerated() {
            out += group
            if let here = markers[skipped + offset + 1] { out += here }
        }
        if stop < total {
            out.append("... \(total - stop) later entries not shown (--full shows them)")
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Markers by position (after the entry that made the check fail; unlocated ones after the
    /// last entry), for violations at or before `stop`.
    static func markers(_ violations: [ViolationPoint], total: Int, stop: Int) -> [Int: [String]] {
        var markers: [Int: [String]] = [:]
        for point in violations {
            let position = point.entryCount.map { min(max($0, 0), total) } ?? total
            guard position <= stop else { continue }
            markers[position, default: []].append(marker(point))
        }
        return markers
    }

    /// The `full` trace one entry at a time, for a log too long to keep: the same lines as
    /// `render` with `full`, from `header` and then `lines(after:)` for each entry in order.
    public struct Stream {
        private let markers: [Int: [String]]
        private let total: Int
        private var position = 0

        /// `total` is the number of entries the run logs (known from an earlier run of it).
        public init(violations: [ViolationPoint], total: Int) {
            self.total = total
            markers = ExplainedTrace.markers(violations, total: total, stop: total)
        }

        public var header: [String] {
            ["explained trace: \(total) log entries, from the start of the run"] + (markers[0] ?? [])
        }

        /// The entry's lines, then the markers placed after it.
        public mutating func lines(after entry: RunLogEntry) -> [String] {
            position += 1
            return ExplainedTrace.lines(entry) + (markers[position] ?? [])
        }
    }

    static func marker(_ point: ViolationPoint) -> String {
        ">>> VIOLATION \(point.check)" + (point.entryCount == nil ? " (at the end of the run)" : "") + " — \(point.note)"
    }

    // MARK: One entry

    static let timeWidth = 12
    static let hostWidth = 10
    static let sourceWidth = 9

    /// The entry's lines: the first with time, host and source; details indented under it.
    public static func lines(_ entry: RunLogEntry) -> [String] {
        let host = entry.host?.rawValue ?? "-"
        let prefix = pad(FrameWalkText.time(entry.time), timeWidth) + pad(host, hostWidth) + pad(entry.source, sourceWidth)
        let indent = String(repeating: " ", count: prefix.count + 2)
        return sentences(entry.event).enumerated().map { ($0.offset == 0 ? prefix : indent) + $0.element }
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text.padding(toLength: width, withPad: " ", startingAt: 0)
    }

    /// What happened, in one sentence (compare decisions may add detail lines).
    public static func sentences(_ event: RunRecord) -> [String] {
        switch event {
        case .net(let net): [sentence(net)]
        case .compare(let compare): compareLines(compare)
        case .rewriter(let rewriter): ["rewriter: " + RewriteReport.describe(rewriter)]
        case .rewriterQueue(let queue): [sentence(queue)]
        case .controller(let controller): [sentence(controller)]
        case .lan(let lan): [sentence(lan)]
        }
    }

    static func sentence(_ event: NetHop) -> String {
        switch event {
        case .sendStarted(_, _, let frame), .injectionStarted(_, _, _, _, let frame):
            "\(event): \(PacketSummary.describe(frame))"
        case .dropped(_, let reason, _):
            "\(event) [counted as \(reason.rawValue)]"
        default:
            event.description
        }
    }

    static func compareLines(_ event: CompareDecision) -> [String] {
        var lines = CompareTextReport.describe(event)
        if let rule = rule(event), !lines.isEmpty { lines[0] += " (\(rule))" }
        return lines
    }

    /// The spec rule behind a compare decision.
    static func rule(_ event: CompareDecision) -> String? {
        switch event {
        case .release(let release):
            switch release.reason {
            case .matched(_, .sameSegment): "C-11.1"
            case .matched(_, .coveredBySecondary): "C-11.2"
            case .matched(_, .identicalPacket): "C-14"
            case .unparseable: "C-3"
            case .retransmission, .noPayload: "C-10"
            case .checkpointFlush: "C-20"
            case .deletionFlush: "C-28"
            }
        case .checkpointRequest(let request):
            switch request.reason {
            case .payloadMismatch: "C-11, C-18"
            case .ackGate: "C-11.2, C-18"
            case .noMatch: "C-14, C-18"
            case .timeout: "C-19"
            }
        case .flush: "C-20"
        case .drop(let drop): "drop \(drop.reason.token)"
        case .notifyReceived: "C-26"
        }
    }

    static func sentence(_ event: RewriterQueueStep) -> String {
        switch event {
        case let .held(sender, depth):
            "rewriter queue: a copy from the \(sender) side waits, its sender cannot send (depth \(depth), F-12)"
        case let .dropped(sender, total):
            "rewriter queue full: a copy from the \(sender) side is dropped (\(total) so far, F-12) [counted as queue_dropped]"
        case let .released(count, cause):
            "rewriter queue: \(count) held copies leave (\(cause.rawValue), F-13)"
        }
    }

    static func sentence(_ event: ControllerStep) -> String {
        let ms = RunReport.milliseconds
        switch event {
        case .coloStarted(let delay):
            return "COLO started, x-checkpoint-delay \(ms(delay))"
        case let .checkpointRequested(trigger, coalesced):
            return "checkpoint requested: \(trigger.explanation)" + (coalesced ? "; one is already pending, so this one is coalesced (K-3)" : "")
        case let .checkpointStarted(number, trigger):
            return "checkpoint \(number) starts (\(trigger.token))"
        case .secondaryStopped(let number):
            return "checkpoint \(number): the secondary VM stops (K-7)"
        case let .primaryStopped(number, bytes, transfer):
            return "checkpoint \(number): the primary VM stops; \(bytes) bytes of state take \(ms(transfer)) to send (K-5)"
        case .stateReceived(let number):
            return "checkpoint \(number): the secondary has the whole state (K-7)"
        case let .comparesFlushed(number, released, dropped):
            return "checkpoint \(number): compares flushed, \(released) primary packet(s) released, \(dropped) secondary dropped (K-5, C-20)"
        case let .secondaryLoaded(number, equals):
            return "checkpoint \(number): the secondary loaded the state"
                + (equals ? "; its guest equals the primary's" : "; its guest DIFFERS from the primary's") + " (K-7)"
        case .secondaryStarted(let number):
            return "checkpoint \(number): the secondary VM runs again (K-7)"
        case let .primaryStarted(number, pause):
            return "checkpoint \(number) ends: the primary VM runs again after \(ms(pause)); released frames may leave (K-5)"
        case let .checkpointAborted(number, reason):
            return "checkpoint \(number) aborted: \(reason)"
        case .hostLost(let role):
            return "the \(role) host is lost"
        case let .failover(role, detail):
            return "failover: the \(role) carries on alone (\(role == .secondary ? "K-10" : "K-11")): \(detail)"
        case .teardown(let step):
            return "teardown: \(step) (K-11)"
        case .coloExited(let reason):
            return "COLO exited: \(reason)"
        case .timeline(let action):
            return "timeline: \(action.description)"
        case .chardevReconnected(let chardev):
            return "chardev \(chardev) is connected again"
        case .watchdog(let reason):
            return "watchdog: \(reason)"
        }
    }

    static func sentence(_ event: LanHop) -> String {
        switch event {
        case .clientSent(let bytes): "the client sends \(bytes) bytes onto the host network"
        case let .tapTransmitted(role, bytes): "the \(role) tap puts \(bytes) bytes on the host network"
        case let .arrivedAtTap(role, bytes): "\(bytes) bytes reach the \(role) tap"
        case .arrivedAtClient(let bytes): "\(bytes) bytes reach the client"
        case let .dropped(reason, bytes): "the host network drops \(bytes) bytes [counted as \(reason.rawValue)]"
        case .activeTapChanged(let role): role.map { "client traffic now goes to the \($0) tap" } ?? "client traffic now reaches no tap"
        }
    }
}
