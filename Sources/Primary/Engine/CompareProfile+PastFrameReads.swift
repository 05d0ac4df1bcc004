extension CompareProfile {
    /// This profile with past-frame reads modelled as `reads` (`lockstep serve
    /// --past-frame-reads`), its name saying so, since reports and counters show the name.
    public func overriding(pastFrameReads reads: PastFrameReads) -> CompareProfile {
        var profile = self
        profile.quirks.pastFrameReads = reads
        profile.name += " (past-frame reads \(reads.rawValue))"
        return profile
    }
}
