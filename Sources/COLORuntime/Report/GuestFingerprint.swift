import Fabric
import GuestStack

/// What "the secondary equals the primary" is checked on right after a checkpoint load, and
/// again when the primary restarts (it must not have changed while stopped): every TCP socket
/// as an application sees it, the stack's pending timers and output, its counters, the server
/// applications' whole state, and the guest clock.
struct GuestFingerprint: Equatable {
    var clock: VirtualTime
    var sockets: [TCPSocketStatus?]
    var nextDeadline: VirtualTime?
    var hasOutput: Bool
    var counters: StackCounters
    var servers: [[RequestResponseServer.Connection]]
    var started: Bool

    init(_ guest: GuestMachine) {
        let host = guest.host
        clock = guest.guestNow
        sockets = host.stack.connectionHandles.map { host.stack.status(of: $0) }
        nextDeadline = host.nextDeadline
        hasOutput = host.hasOutput
        counters = host.stack.counters
        servers = host.applications.indices.compactMap { host.application($0, as: RequestResponseServer.self)?.connections }
        started = host.started
    }
}
