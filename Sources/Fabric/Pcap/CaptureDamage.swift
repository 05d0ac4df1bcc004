/// What a capture lost before Lockstep read it: records the capture cut short (caplen < len),
/// which the tools process as captured, and sub-second fields of a second or more. The capture
/// tools print these warnings and count the cut records; nothing is lost without a word.
public struct CaptureDamage: Sendable, Hashable {
    public private(set) var truncated = 0
    public private(set) var badFractions = 0
    private var firstTruncated: PcapRecord?
    private var firstBadFraction: Int?

    public init(_ records: [PcapRecord]) {
        for record in records {
            if record.isTruncated {
                truncated += 1
                if firstTruncated == nil { firstTruncated = record }
            }
            if record.fractionOutOfRange {
                badFractions += 1
                if firstBadFraction == nil { firstBadFraction = record.index }
            }
        }
    }

    /// One `warning:` line per kind of damage, naming the capture and the first record.
    public func warnings(path: String) -> [String] {
        var lines: [String] = []
        if let first = firstTruncated {
            lines.append("warning: capture '\(path)': \(truncated) record(s) cut short by the capture (caplen < len; the first, "
                         + "#\(first.index), keeps \(first.capturedBytes.count) of \(first.originalLength) bytes); "
                         + "they are processed as captured")
        }
        if let first = firstBadFraction {
            lines.append("warning: capture '\(path)': \(badFractions) record(s) have a sub-second field of a second or more "
                         + "(the first, #\(first)); read as the last nanosecond of their second")
        }
        return lines
    }
}
