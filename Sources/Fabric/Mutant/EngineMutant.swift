/// A deliberate bug an engine can be told to have, so the fuzzer can prove it finds bugs
/// (`lockstep fuzz --mutant NAME`). Declaring a case names the bug; the engine that has it
/// tests for it where it strikes.
///
/// Kept apart from the profiles, which describe QEMU: each engine is handed its mutant beside
/// its profile (colo-compare's configuration, the filter-rewriter, the chardev reader through
/// ``ChardevPipeConfiguration/mutant``), `nil` by default and never set outside fuzz tests and
/// the fuzz command. Only the code that has the bug looks at it, so a run without one pays a
/// comparison at most.
public enum EngineMutant: String, Sendable, Hashable, CaseIterable {
    /// colo-compare releases a matched primary segment without the C-9 ack gate.
    case ackGateIgnored = "ack-gate-ignored"
    /// colo-compare compares TCP payloads starting one byte late on the primary side.
    case payloadOffsetOffByOne = "payload-offset-off-by-one"
    /// colo-compare's checkpoint flush drops the queued primary packets instead of releasing them.
    case flushDropsPrimary = "flush-drops-primary"
    /// filter-rewriter applies the sequence offset with the wrong sign (RW-9.2, RW-11.3).
    case rewriterOffsetSignFlipped = "rewriter-offset-sign-flipped"
    /// The chardev record reader assembles a header field (L or V) that arrives split across
    /// two or more reads in the wrong byte order (W-5, W-6); a field read whole is right.
    case splitLengthField = "split-length-field"
}
