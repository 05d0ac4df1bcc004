import Fabric

/// Code that runs on a stack: a guest's server or a client workload. Conformers must be value
/// types (structs), so copying a host copies its applications.
public protocol StackApplication: Sendable {
    /// Called once when the host starts: open listeners, start the first connections.
    mutating func start(on stack: inout NetworkStack, _ context: HostContext)
    /// Called after the stack reported events and whenever ``nextDeadline`` is reached: do
    /// everything possible at the stack's current time.
    mutating func run(on stack: inout NetworkStack, _ context: HostContext)
    /// When the application next needs ``run(on:_:)`` without any network event.
    var nextDeadline: VirtualTime? { get }
    /// A client has done its whole workload; servers are always finished.
    var isFinished: Bool { get }
}

/// A stack plus the applications running on it, driven like the stack itself: frames in,
/// timers, frames out. The topology sees only this type.
///
/// Its identity (``name`` and ``knobs``) belongs to the instance, not to its state:
/// ``loadCheckpoint(from:)`` copies everything else from another host, as a COLO checkpoint
/// makes the secondary guest equal to the primary while it stays the secondary.
public struct StackHost: Sendable {
    public private(set) var stack: NetworkStack
    public var applications: [any StackApplication] {
        get { apps }
        set {
            apps = newValue
            refreshApplicationSummary()
            refreshSummary()
        }
    }
    private var apps: [any StackApplication]

    // What the scheduler-facing side asks after every frame, kept as stored values refreshed by
    // every mutating call: computing them means scanning every connection of every application
    // through existentials, and a computed property read from another module through a class
    // made the caller copy the whole host (hundreds of bytes and a retain per buffer) first.

    /// The earliest instant at which ``advance(to:choices:)`` has work to do.
    public private(set) var nextDeadline: VirtualTime?
    /// Whether the stack has frames waiting to be taken.
    public private(set) var hasOutput = false
    /// Every application has finished its work.
    public private(set) var isFinished = true
    /// The applications' earliest `nextDeadline`, as of their last `start` or `run` (the only
    /// calls that change it).
    private var earliestApplicationDeadline: VirtualTime?
    private var identity: HostIdentity
    public private(set) var started = false

    public init(stack: NetworkStack, applications: [any StackApplication], knobs: DivergenceKnobs = DivergenceKnobs()) {
        self.stack = stack
        apps = applications
        identity = HostIdentity(name: stack.name, knobs: knobs)
        refreshApplicationSummary()
        refreshSummary()
    }

    public var name: String { stack.name }
    public var knobs: DivergenceKnobs { identity.knobs }

    /// Starts the applications at `time` (idempotent).
    public mutating func start(at time: VirtualTime, choices: any Chooser) {
        guard !started else { return }
        defer { refreshSummary() }
        started = true
        stack.setClock(time)
        let context = HostContext(identity: identity, chooser: choices)
        for index in apps.indices {
            apps[index].start(on: &stack, context)
        }
        refreshApplicationSummary()
        _ = stack.takeApplicationEvents()
        runApplications(force: true, choices)
    }

    public mutating func receive(_ frame: Frame, at time: VirtualTime, choices: any Chooser) {
        stack.receive(frame, at: time, choices: choices)
        runApplications(force: false, choices)
        refreshSummary()
    }

    public mutating func advance(to time: VirtualTime, choices: any Chooser) {
        stack.advance(to: time, choices: choices)
        runApplications(force: false, choices)
        refreshSummary()
    }

    public mutating func takeOutput() -> [Frame] {
        hasOutput = false
        return stack.takeOutput()
    }

    /// Moves the stack's pending frames to the end of `frames` (see
    /// ``NetworkStack/takeOutput(into:)``).
    public mutating func takeOutput(into frames: inout [Frame]) {
        hasOutput = false
        stack.takeOutput(into: &frames)
    }

    /// Direct socket calls on the host's stack (a test or scripted client acting outside any
    /// application), at the stack's current time.
    public mutating func withStack<R>(_ body: (inout NetworkStack) throws -> R) rethrows -> R {
        defer { refreshSummary() }
        return try body(&stack)
    }

    /// The `index`-th application, if it has type `T` (to read its report).
    public func application<T: StackApplication>(_ index: Int, as type: T.Type) -> T? {
        apps.indices.contains(index) ? apps[index] as? T : nil
    }

    /// Makes this host's state a copy of `source`'s (sockets, control blocks, buffers, timers,
    /// ARP cache, ID counters, application state) while keeping this host's name and knobs.
    public mutating func loadCheckpoint(from source: StackHost) {
        let name = stack.name
        stack = source.stack
        stack.rename(to: name)
        apps = source.apps
        earliestApplicationDeadline = source.earliestApplicationDeadline
        isFinished = source.isFinished
        started = source.started
        refreshSummary()
    }

    /// Runs applications if the stack reported events or one of their deadlines passed.
    private mutating func runApplications(force: Bool, _ choices: any Chooser) {
        guard started else { return }
        let events = stack.takeApplicationEventSockets()
        var due = events.any || force
        if !due, let deadline = earliestApplicationDeadline, deadline <= stack.now {
            due = true
        }
        guard due else { return }
        let context = HostContext(identity: identity, chooser: choices, socketsWithEvents: force ? nil : events.sockets)
        for index in apps.indices {
            apps[index].run(on: &stack, context)
        }
        refreshApplicationSummary()
    }

    private mutating func refreshSummary() {
        nextDeadline = earliest(stack.settleNextDeadline(), earliestApplicationDeadline)
        hasOutput = stack.hasOutput
    }

    private mutating func refreshApplicationSummary() {
        var deadline: VirtualTime?
        var finished = true
        for application in apps {
            deadline = earliest(deadline, application.nextDeadline)
            finished = finished && application.isFinished
        }
        earliestApplicationDeadline = deadline
        isFinished = finished
    }
}

extension NetworkStack {
    /// Changes the name used in choice-point labels (a restored checkpoint keeps its host's name).
    mutating func rename(to name: String) {
        guard name != interface.configuration.name else { return }
        interface.configuration.name = name
        interface.points = StackChoicePoints(name: name)
    }
}
