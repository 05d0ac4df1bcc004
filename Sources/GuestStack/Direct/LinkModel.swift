import Fabric

/// A point-to-point link's impairments. Each frame's fate is drawn from the chooser: lost,
/// duplicated, held back (reordered), and its jitter.
public struct LinkConfiguration: Sendable, Hashable {
    public var latency: VirtualDuration = .milliseconds(1)
    /// Uniform extra delay in `0...jitter` per frame (can reorder frames closer than it).
    public var jitter: VirtualDuration = .zero
    public var loss = Rate.never
    public var duplication = Rate.never
    /// Fraction of frames held back by an extra delay in `1ns...reorderDelay`, so later frames
    /// overtake them.
    public var reordering = Rate.never
    public var reorderDelay: VirtualDuration = .milliseconds(3)

    public init(latency: VirtualDuration = .milliseconds(1)) {
        self.latency = latency
    }
}

/// What one direction of a link did.
public struct LinkCounters: Sendable, Hashable, Codable {
    public var offered = 0
    public var delivered = 0
    public var lost = 0
    public var duplicated = 0
    public var reordered = 0
}

/// One direction of a link: decides each frame's delivery times (none if lost, two if
/// duplicated). Pure apart from the chooser.
public struct LinkDirection: Sendable {
    public let configuration: LinkConfiguration
    public internal(set) var counters = LinkCounters()
    let lossPoint: ChoicePoint
    let duplicationPoint: ChoicePoint
    let reorderPoint: ChoicePoint
    let reorderDelayPoint: ChoicePoint
    let jitterPoint: ChoicePoint

    public init(_ configuration: LinkConfiguration, name: String) {
        self.configuration = configuration
        lossPoint = ChoicePoint(.loss, "link \(name) loss")
        duplicationPoint = ChoicePoint(.other, "link \(name) duplicate")
        reorderPoint = ChoicePoint(.other, "link \(name) reorder")
        reorderDelayPoint = ChoicePoint(.latency, "link \(name) reorder-delay")
        jitterPoint = ChoicePoint(.jitter, "link \(name) jitter")
    }

    /// Delays after which copies of a frame sent now arrive (empty when it is lost).
    public mutating func deliveries(_ choices: any Chooser) -> [VirtualDuration] {
        counters.offered += 1
        let c = configuration
        if choices.chooseEvent(lossPoint, numerator: c.loss.numerator, denominator: c.loss.denominator) {
            counters.lost += 1
            return []
        }
        var delay = c.latency + choices.chooseDuration(jitterPoint, upTo: c.jitter)
        if choices.chooseEvent(reorderPoint, numerator: c.reordering.numerator, denominator: c.reordering.denominator) {
            counters.reordered += 1
            delay = delay + .nanoseconds(1) + choices.chooseDuration(reorderDelayPoint, upTo: c.reorderDelay)
        }
        counters.delivered += 1
        if choices.chooseEvent(duplicationPoint, numerator: c.duplication.numerator, denominator: c.duplication.denominator) {
            counters.duplicated += 1
            counters.delivered += 1
            return [delay, delay + .nanoseconds(1)]
        }
        return [delay]
    }
}
