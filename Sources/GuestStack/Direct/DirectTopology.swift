import Fabric

/// A frame as it went onto a link, for captures and determinism checks.
public struct LinkCapture: Sendable, Hashable {
    public var time: VirtualTime
    /// True for client → guest.
    public var towardGuest: Bool
    public var frame: Frame
}

/// `lockstep run --topology direct`: one client host and one guest host joined by a link with
/// latency, loss, duplication and reordering, all on the deterministic ``Scheduler``.
///
/// Each host is driven only through its sans-I/O interface: delivered frames go to
/// ``StackHost/receive(_:at:choices:)``, a timer event at ``StackHost/nextDeadline`` calls
/// ``StackHost/advance(to:choices:)``, and after either, ``StackHost/takeOutput()`` is put on
/// the link.
public final class DirectTopology {
    public let scheduler: Scheduler
    public private(set) var client: StackHost
    public private(set) var guest: StackHost
    public private(set) var towardGuest: LinkDirection
    public private(set) var towardClient: LinkDirection
    /// Frames put on the link, when capturing.
    public private(set) var captures: [LinkCapture] = []
    public var capturesFrames = false
    public private(set) var framesInFlight = 0
    public private(set) var completedAt: VirtualTime?
    private var clientTimer: TimerHandle?
    private var guestTimer: TimerHandle?
    private let labels = (start: EventLabel("direct start"), toGuest: EventLabel("link client->guest deliver"),
                          toClient: EventLabel("link guest->client deliver"),
                          clientTimer: EventLabel("client timer"), guestTimer: EventLabel("guest timer"))

    public init(client: StackHost, guest: StackHost, link: LinkConfiguration, scheduler: Scheduler) {
        self.client = client
        self.guest = guest
        self.scheduler = scheduler
        towardGuest = LinkDirection(link, name: "client->guest")
        towardClient = LinkDirection(link, name: "guest->client")
    }

    /// Runs until the client's applications have finished and the link is empty, or `limit`.
    /// Returns whether the workload finished.
    @discardableResult
    public func run(until limit: VirtualTime) throws(SchedulerError) -> Bool {
        if !client.started {
            scheduler.schedule(at: scheduler.now, labels.start) { [weak self] in
                guard let self else { return }
                let choices = scheduler.chooser
                guest.start(at: scheduler.now, choices: choices)
                client.start(at: scheduler.now, choices: choices)
                afterActivity(onGuest: true)
                afterActivity(onGuest: false)
            }
        }
        while completedAt == nil, let next = scheduler.nextEventTime, next <= limit {
            try scheduler.step()
        }
        return completedAt != nil
    }

    private func afterActivity(onGuest: Bool) {
        let frames = onGuest ? guest.takeOutput() : client.takeOutput()
        for frame in frames {
            transmit(frame, towardGuest: !onGuest)
        }
        rearmTimer(onGuest: onGuest)
        if completedAt == nil && framesInFlight == 0 && client.isFinished {
            completedAt = scheduler.now
        }
    }

    private func transmit(_ frame: Frame, towardGuest toGuest: Bool) {
        if capturesFrames { captures.append(LinkCapture(time: scheduler.now, towardGuest: toGuest, frame: frame)) }
        let delays = toGuest ? towardGuest.deliveries(scheduler.chooser) : towardClient.deliveries(scheduler.chooser)
        for delay in delays {
            framesInFlight += 1
            scheduler.schedule(after: delay, toGuest ? labels.toGuest : labels.toClient) { [weak self] in
                guard let self else { return }
                framesInFlight -= 1
                if toGuest {
                    guest.receive(frame, at: scheduler.now, choices: scheduler.chooser)
                } else {
                    client.receive(frame, at: scheduler.now, choices: scheduler.chooser)
                }
                afterActivity(onGuest: toGuest)
            }
        }
    }

    private func rearmTimer(onGuest: Bool) {
        let deadline = onGuest ? guest.nextDeadline : client.nextDeadline
        let current = onGuest ? guestTimer : clientTimer
        if let current, current.isPending, current.deadline == deadline { return }
        if let current { scheduler.cancel(current) }
        guard let deadline else {
            if onGuest { guestTimer = nil } else { clientTimer = nil }
            return
        }
        let at = max(deadline, scheduler.now)
        let timer = scheduler.scheduleTimer(at: at, onGuest ? labels.guestTimer : labels.clientTimer) { [weak self] in
            guard let self else { return }
            if onGuest {
                guest.advance(to: scheduler.now, choices: scheduler.chooser)
            } else {
                client.advance(to: scheduler.now, choices: scheduler.chooser)
            }
            afterActivity(onGuest: onGuest)
        }
        if onGuest { guestTimer = timer } else { clientTimer = timer }
    }
}
