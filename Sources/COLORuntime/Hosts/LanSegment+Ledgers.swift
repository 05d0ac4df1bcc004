extension LanSegment {
    /// The host network's two conservation ledgers: every frame offered to a direction of the
    /// link was lost, delivered, dropped for want of a receiver, or is still in flight.
    func ledgers() -> [ConservationLedger] {
        let links = linkCounters
        let inFlight = framesInFlightByDirection
        return [
            ConservationLedger(
                component: "network client -> taps", unit: "frames", entered: links.towardTaps.offered + links.towardTaps.duplicated,
                outcomes: [.init(outcome: "dropped: lost on the link", count: links.towardTaps.lost),
                           .init(outcome: "arrived at a tap", count: counters.deliveredToTaps),
                           .init(outcome: "dropped: no tap active", count: counters.droppedNoActiveTap)],
                pending: inFlight.towardTaps),
            ConservationLedger(
                component: "network taps -> client", unit: "frames", entered: links.towardClient.offered + links.towardClient.duplicated,
                outcomes: [.init(outcome: "dropped: lost on the link", count: links.towardClient.lost),
                           .init(outcome: "arrived at the client", count: counters.deliveredToClient),
                           .init(outcome: "dropped: no client", count: counters.droppedNoClient)],
                pending: inFlight.towardClient),
        ]
    }
}
