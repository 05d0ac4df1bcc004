import Fabric

extension EngineMutant {
    /// The library scenario (`scenarios/NAME.yaml`) on which `lockstep fuzz --expectations`
    /// finds this mutant within a few runs (tested for every mutant).
    public var libraryScenario: String {
        switch self {
        case .ackGateIgnored: "ack-gate-pipelined"
        case .payloadOffsetOffByOne: "clean-run"
        case .flushDropsPrimary: "handshake-straddling-checkpoint"
        case .rewriterOffsetSignFlipped: "clean-run"
        case .splitLengthField: "split-records"
        }
    }
}
