import Testing
@testable import Fabric

/// Shared journal the probe filters write to, in call order.
final class ProbeJournal {
    struct Call: Hashable, CustomStringConvertible {
        var filter: String
        var direction: NetDirection
        var sender: String
        var bytes: [UInt8]
        var description: String { "\(filter)/\(direction)" }
    }

    var calls: [Call] = []
    var statusHooks: [String] = []
    var events: [String] = []
    var cleanups: [String] = []

    var visited: [String] { calls.map(\.filter) }
}

/// A filter that records what it sees and returns a chosen verdict.
final class ProbeFilter: NetFilter {
    enum Behaviour {
        case pass
        case steal(Int)
        /// Takes the frame and re-injects `transform(frame)` at once, as the rewriter does.
        case stealAndReinject((Frame) -> Frame)
    }

    let typeName = "probe"
    let journal: ProbeJournal
    var behaviour: Behaviour
    var setupError: FilterSetupError?
    var eventError: FilterEventError?
    var injections: [SendOutcome] = []

    init(journal: ProbeJournal, behaviour: Behaviour = .pass) {
        self.journal = journal
        self.behaviour = behaviour
    }

    func setup(context: FilterContext) throws(FilterSetupError) {
        if let setupError { throw setupError }
    }

    func receive(_ frame: Frame, direction: NetDirection, sender: NetClient, context: FilterContext) -> FilterVerdict {
        journal.calls.append(.init(filter: context.id, direction: direction, sender: sender.name, bytes: frame.bytes))
        switch behaviour {
        case .pass:
            return .pass
        case .steal(let result):
            return .steal(sendResult: result, output: FilterOutput(destination: "probe \(context.id)", result: .held))
        case .stealAndReinject(let transform):
            if let outcome = context.passToNext(transform(frame), nominalSender: sender) {
                injections.append(outcome)
            }
            return .steal(sendResult: frame.count, output: FilterOutput(destination: "probe \(context.id)", result: .held))
        }
    }

    func statusChanged(context: FilterContext) {
        journal.statusHooks.append("\(context.id)=\(context.status)")
    }

    func handleEvent(_ event: COLOFilterEvent, context: FilterContext) throws(FilterEventError) {
        journal.events.append("\(context.id):\(event)")
        if let eventError { throw eventError }
        NetFilterDefaults.handleEvent(event, context: context)
    }

    func cleanup(context: FilterContext) {
        journal.cleanups.append(context.id)
    }
}

/// tap0 (netdev) ⟷ nic0 (NIC), with recorders behind both and an event log.
struct TapAndNIC {
    let core: NetCore
    let tap: NetClient
    let nic: NetClient
    let wire: FrameRecorder
    let guest: FrameRecorder
    let log: NetHopLog
    let chardevs: ChardevRegistry
    let journal = ProbeJournal()

    init(queueOrdering: NetQueueOrdering = .qemu, tapVnetHeaderLength: UInt32 = 0) throws {
        chardevs = ChardevRegistry()
        core = NetCore(queueOrdering: queueOrdering, chardevs: chardevs)
        log = NetHopLog()
        core.eventSink = log
        wire = FrameRecorder()
        guest = FrameRecorder()
        tap = try core.addNetdev(name: "tap0", vnetHeaderLength: tapVnetHeaderLength, endpoint: wire)
        nic = try core.addNIC(name: "nic0", peer: "tap0", endpoint: guest)
    }

    @discardableResult
    func addProbe(_ id: String, queue: FilterQueue = .all, behaviour: ProbeFilter.Behaviour = .pass,
                  status: FilterStatus = .on, position: String = "tail", insert: FilterInsert = .behind) throws -> ProbeFilter {
        let probe = ProbeFilter(journal: journal, behaviour: behaviour)
        try core.addFilter(probe, options: FilterOptions(id: id, netdev: "tap0", queue: queue, status: status, position: position, insert: insert))
        return probe
    }

    @discardableResult
    func addChardev(_ id: String) -> RecordingChardev {
        let port = RecordingChardev(id: id)
        chardevs.add(port)
        return port
    }

    var filterOrder: [String] { tap.filters.map(\.id) }

    /// Every walk must end exactly once (delivered, stolen or dropped) or still be queued.
    func expectEveryWalkAccountedFor(sourceLocation: SourceLocation = #_sourceLocation) {
        var starts: [WalkID] = []
        var terminals: [WalkID: Int] = [:]
        for event in log.events {
            switch event {
            case .sendStarted(let walk, _, _), .injectionStarted(let walk, _, _, _, _): starts.append(walk)
            default: if event.isTerminal, let walk = event.walk { terminals[walk, default: 0] += 1 }
            }
        }
        let queued = Set(core.clients.flatMap { $0.incoming.entries.map(\.walk) })
        for walk in starts {
            let ends = terminals[walk, default: 0]
            #expect(ends + (queued.contains(walk) ? 1 : 0) == 1, "walk \(walk) ended \(ends) times", sourceLocation: sourceLocation)
        }
        let counters = core.counters
        #expect(counters.walks == starts.count, sourceLocation: sourceLocation)
        #expect(counters.delivered + counters.stolen + counters.totalDropped + queued.count == counters.walks, sourceLocation: sourceLocation)
    }
}

func testFrame(_ tag: UInt8, count: Int = 64) -> Frame {
    Frame((0..<count).map { UInt8(truncatingIfNeeded: Int(tag) &+ $0) })
}
