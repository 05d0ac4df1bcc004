@testable import Fabric
@testable import Secondary
import QEMUHarness

/// Our rewriter (engine + private queue) behind the harness's stepper protocol, so the same
/// cases run on QEMU 7.2 and on the engine and their transcripts can be compared.
struct EngineRewriterStepper: RewriterStepper {
    var rewriter: QueuedRewriter
    /// QEMU's `qemu_can_send_packet` for the rewriter's senders: here only the VM's run state.
    var vmRunning = true

    init(profile: RewriterProfile = .upstream) {
        rewriter = QueuedRewriter(profile: profile)
    }

    mutating func sendToGuest(_ frame: Frame) -> RewriterStepOutput {
        output(rewriter.receive(frame, from: .netdev, senderCanSend: vmRunning).continuing)
    }

    mutating func sendFromGuest(_ frame: Frame) -> RewriterStepOutput {
        output(rewriter.receive(frame, from: .nic, senderCanSend: vmRunning).continuing)
    }

    mutating func checkpoint() -> RewriterStepOutput {
        _ = rewriter.checkpoint()
        return RewriterStepOutput()
    }

    mutating func stopVM() -> RewriterStepOutput {
        vmRunning = false
        return RewriterStepOutput()
    }

    mutating func resumeVM() -> RewriterStepOutput {
        vmRunning = true
        return output(rewriter.vmStarted().released)
    }

    /// Frames continuing after the rewriter, split by the direction their sender walks in.
    private func output(_ continuing: [QueuedCopy]) -> RewriterStepOutput {
        RewriterStepOutput(
            toGuest: continuing.filter { $0.sender == .netdev }.map(\.frame),
            fromGuest: continuing.filter { $0.sender == .nic }.map(\.frame))
    }
}

/// A step of the extended differential cases: the harness's steps plus VM stop/resume.
enum ExtendedRewriterStep: Sendable, Hashable, CustomStringConvertible {
    case step(RewriterStep)
    case stopVM
    case resumeVM

    var description: String {
        switch self {
        case .step(let step): step.description
        case .stopVM: "stop VM"
        case .resumeVM: "resume VM"
        }
    }
}

protocol ExtendedRewriterStepper: RewriterStepper {
    mutating func stopVM() throws -> RewriterStepOutput
    mutating func resumeVM() throws -> RewriterStepOutput
}

extension EngineRewriterStepper: ExtendedRewriterStepper {}
extension RewriterOracle: ExtendedRewriterStepper {}

extension ExtendedRewriterStepper {
    mutating func play(_ steps: [ExtendedRewriterStep], name: String) throws -> RewriterTranscript {
        var transcript = RewriterTranscript(caseName: name, steps: [])
        for step in steps {
            switch step {
            case .step(let inner):
                transcript.steps.append(inner)
                switch inner {
                case .toGuest(let frame): transcript.outputs.append(try sendToGuest(frame))
                case .fromGuest(let frame): transcript.outputs.append(try sendFromGuest(frame))
                case .checkpoint: transcript.outputs.append(try checkpoint())
                }
            case .stopVM:
                // Recorded as a checkpoint-free marker step so transcripts stay aligned.
                transcript.steps.append(.toGuest(Frame([])))
                transcript.outputs.append(try stopVM())
            case .resumeVM:
                transcript.steps.append(.fromGuest(Frame([])))
                transcript.outputs.append(try resumeVM())
            }
        }
        return transcript
    }
}
