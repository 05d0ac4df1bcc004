import Fabric

/// One input of a colo-compare differential case.
public enum CompareStep: Sendable, Hashable, CustomStringConvertible {
    case primary(Frame)
    case secondary(Frame)
    /// `COLO_CHECKPOINT` on notify_dev: flush (C-26, C-20).
    case checkpoint

    public var description: String {
        switch self {
        case .primary(let frame): return "primary   \(FrameSummary.describe(frame))"
        case .secondary(let frame): return "secondary \(FrameSummary.describe(frame))"
        case .checkpoint: return "checkpoint"
        }
    }
}

/// One input of a filter-rewriter differential case.
public enum RewriterStep: Sendable, Hashable, CustomStringConvertible {
    case toGuest(Frame)
    case fromGuest(Frame)
    /// Checkpoint event to the filters (RW-15).
    case checkpoint

    public var description: String {
        switch self {
        case .toGuest(let frame): return "to-guest   \(FrameSummary.describe(frame))"
        case .fromGuest(let frame): return "from-guest \(FrameSummary.describe(frame))"
        case .checkpoint: return "checkpoint"
        }
    }
}

/// Anything that can play a colo-compare case step by step: the QEMU oracle, or an adapter
/// around our compare engine. Each call returns exactly the effects of that input.
public protocol CompareStepper {
    mutating func sendPrimary(_ frame: Frame) throws -> CompareStepOutput
    mutating func sendSecondary(_ frame: Frame) throws -> CompareStepOutput
    mutating func checkpoint() throws -> CompareStepOutput
}

/// Anything that can play a filter-rewriter case step by step.
public protocol RewriterStepper {
    mutating func sendToGuest(_ frame: Frame) throws -> RewriterStepOutput
    mutating func sendFromGuest(_ frame: Frame) throws -> RewriterStepOutput
    mutating func checkpoint() throws -> RewriterStepOutput
}

extension CompareOracle: CompareStepper {}
extension RewriterOracle: RewriterStepper {}

/// One step's effects, as the lines a transcript prints for it.
public protocol TranscriptOutput: Sendable, Hashable {
    /// What the transcript's heading calls its cases ("compare", "rewriter").
    static var engine: String { get }
    var describedLines: [String] { get }
}

extension CompareStepOutput: TranscriptOutput {
    public static var engine: String { "compare" }

    /// The released frame bytes (with V) in order, the DO_CHECKPOINT count and other notify messages.
    public var describedLines: [String] {
        var lines = released.map { "released \(FrameSummary.describe($0))" }
        if checkpointRequests > 0 { lines.append("DO_CHECKPOINT x\(checkpointRequests)") }
        lines += otherNotifications.map { "notify \(String(decoding: $0, as: UTF8.self))" }
        return lines.isEmpty ? ["(nothing)"] : lines
    }
}

extension RewriterStepOutput: TranscriptOutput {
    public static var engine: String { "rewriter" }

    /// The frames that came out towards the guest and towards the network, in order.
    public var describedLines: [String] {
        var lines = toGuest.map { "to guest   \(FrameSummary.describe($0))" }
        lines += fromGuest.map { "to network \(FrameSummary.describe($0))" }
        lines += wire.map { "on wire    \($0.count)B" }
        return lines.isEmpty ? ["(nothing)"] : lines
    }
}

/// A comparable, printable record of a differential case run: its steps and, per step, the
/// effects the engine or QEMU produced.
public struct Transcript<Step: Sendable & Hashable & CustomStringConvertible, Output: TranscriptOutput>:
    Sendable, Hashable, CustomStringConvertible
{
    public var caseName: String
    public var steps: [Step]
    public var outputs: [Output]

    public init(caseName: String, steps: [Step] = [], outputs: [Output] = []) {
        self.caseName = caseName
        self.steps = steps
        self.outputs = outputs
    }

    public var description: String {
        var lines = ["\(Output.engine) case \(caseName): \(steps.count) steps"]
        for (index, step) in steps.enumerated() {
            lines.append(format3(index) + " " + step.description)
            guard index < outputs.count else { continue }
            lines += outputs[index].describedLines.map { "      " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    /// The first step whose outputs differ, described for a test failure message; nil if equal.
    public func firstDifference(from other: Self) -> String? {
        for index in 0..<max(outputs.count, other.outputs.count) {
            let mine = index < outputs.count ? outputs[index] : nil
            let theirs = index < other.outputs.count ? other.outputs[index] : nil
            guard mine != theirs else { continue }
            let step = index < steps.count ? steps[index].description : "(no step)"
            return "step \(index) [\(step)]\n  this:  \(mine.map { $0.describedLines.joined(separator: "; ") } ?? "missing")"
                + "\n  other: \(theirs.map { $0.describedLines.joined(separator: "; ") } ?? "missing")"
        }
        return steps == other.steps ? nil : "same outputs but different steps"
    }
}

public typealias CompareTranscript = Transcript<CompareStep, CompareStepOutput>
public typealias RewriterTranscript = Transcript<RewriterStep, RewriterStepOutput>

private func format3(_ index: Int) -> String {
    let text = String(index)
    return String(repeating: " ", count: max(0, 4 - text.count)) + text + ":"
}
