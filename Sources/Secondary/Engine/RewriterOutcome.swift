import Fabric

/// What one frame did to the rewriter.
///
/// `frame` is what continues: the original when `record.handling == .passed` (the hook returned
/// 0 and the walk goes on), otherwise the copy — rewritten or not — that the rewriter sends
/// through its private queue (RW-5, RW-6). `events` holds the table/state changes the frame
/// caused, in the order QEMU's rules apply them; the frame-level decision is `record`.
public struct RewriterOutcome: Sendable, Hashable {
    public var frame: Frame
    public var record: ForwardRecord
    public var events: [RewriterDecision]

    public init(frame: Frame, record: ForwardRecord, events: [RewriterDecision] = []) {
        self.frame = frame
        self.record = record
        self.events = events
    }

    public var handling: RewriterHandling { record.handling }
    public var wasStolen: Bool { record.handling == .stolen }

    /// Every event in order, the frame-level `.forward` last (the frame leaves after the rules).
    public var allEvents: [RewriterDecision] { events + [.forward(record)] }
}

/// Running totals: nothing the rewriter does goes uncounted.
public struct RewriterCounters: Sendable, Hashable {
    public var framesReceived = 0
    public var passedUnparseable = 0
    public var passedNotTCP = 0
    public var passedFailoverUntracked = 0
    public var stolen = 0
    public var rewritten = 0
    public var checksumsWritten = 0
    public var checksumsMisplaced = 0
    public var checksumsSkipped = 0
    public var entriesCreated = 0
    /// Fixed profile: frames without an entry that left a fresh one unchanged, so none was kept.
    public var untrackedSegmentsNotKept = 0
    public var entriesRemoved = 0
    public var tableResets = 0
    public var entriesDroppedByReset = 0

    public init() {}
}
