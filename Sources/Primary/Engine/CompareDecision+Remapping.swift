extension CompareDecision {
    /// The same event with every record index passed through the given maps (e.g. from arrival
    /// order to capture position).
    public func remappingIndices(primary: (Int) -> Int, secondary: (Int) -> Int) -> CompareDecision {
        switch self {
        case .release(var release):
            release.primaryIndex = primary(release.primaryIndex)
            if case .matched(let index, let how) = release.reason {
                release.reason = .matched(secondaryIndex: secondary(index), how: how)
            }
            return .release(release)
        case .drop(var drop):
            drop.index = drop.side == .primary ? primary(drop.index) : secondary(drop.index)
            if case .compared(let index) = drop.reason { drop.reason = .compared(primaryIndex: primary(index)) }
            return .drop(drop)
        case .checkpointRequest(var request):
            switch request.reason {
            case .payloadMismatch(var m):
                m.primaryIndex = primary(m.primaryIndex)
                m.secondaryIndex = secondary(m.secondaryIndex)
                request.reason = .payloadMismatch(m)
            case .ackGate(var hold):
                hold.primaryIndex = primary(hold.primaryIndex)
                hold.secondaryIndex = secondary(hold.secondaryIndex)
                request.reason = .ackGate(hold)
            case .noMatch(var m):
                m.primaryIndex = primary(m.primaryIndex)
                m.firstCandidateIndex = secondary(m.firstCandidateIndex)
                request.reason = .noMatch(m)
            case .timeout(var t):
                t.index = t.side == .primary ? primary(t.index) : secondary(t.index)
                request.reason = .timeout(t)
            }
            return .checkpointRequest(request)
        case .flush, .notifyReceived:
            return self
        }
    }
}
