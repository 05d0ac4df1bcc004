import Fabric
import GuestStack
import Primary
import Secondary
import Deployment

/// Everything a COLO run can vary: the deployment (any `Topology`, normally the reference one),
/// the guests and the client, the COLO controller, the QEMU profiles, a timeline of scripted
/// events, and the watchdog. A value: two equal configurations with the same chooser give the
/// same run.
public struct COLORunConfiguration: Sendable, Hashable {
    public var topology: Topology = .reference
    /// Seeds the default chooser (every nondeterministic decision of the run).
    public var seed: UInt64 = 1
    /// Virtual time the run lasts at most.
    public var duration: VirtualDuration = .seconds(30)
    /// End once the client's workload has finished (plus `settleTime`) instead of at `duration`.
    public var endsWhenWorkloadCompletes = false
    /// Time given to closing handshakes after the workload finished, when ending early.
    public var settleTime: VirtualDuration = .milliseconds(500)
    public var workload: WorkloadConfiguration
    /// A DNS-like UDP exchange the client runs beside the TCP workload (nil: none); both
    /// guests then also run a ``DatagramServer`` on its port.
    public var datagramQueries: DatagramQueryWorkload?
    /// Frames the client sends at fixed times besides its workload (a capture's client side,
    /// `client: pcap:`), in time order.
    public var clientReplay: [ReplayedFrame] = []
    /// A workload both guests run as clients of a server on the client host (guest-initiated
    /// connections: the rewriter learns no offset for them, RW-14). Its `server` is replaced by
    /// the client's address; the client host then also runs a server on its `port`.
    public var guestWorkload: WorkloadConfiguration?
    public var clientStack: StackConfiguration
    /// Both guests run this configuration; their names become "primary" and "secondary", and
    /// MAC and vnet header length come from the topology's NIC and netdev.
    public var guestStack: StackConfiguration
    /// When set, the secondary guest runs this instead of `guestStack` (stack differences
    /// between the guests: segmentation, delayed ACKs, Nagle). Name, MAC and vnet header length
    /// still come from the topology. The baseline uses `guestStack`.
    public var secondaryGuestStack: StackConfiguration?
    /// Response body size when a request names none.
    public var guestDefaultResponseSize = 1_024
    public var primaryKnobs = DivergenceKnobs()
    public var secondaryKnobs = DivergenceKnobs()
    /// The host network between the client and the taps.
    public var clientLink = LinkConfiguration(latency: .microseconds(100))
    public var pipes = PipeParameters()
    public var controller = ControllerParameters()
    public var profiles = ProfileSelection()
    /// A deliberate bug for the fuzzer's self-test (`lockstep fuzz --mutant`), handed to every
    /// engine and chardev reader of the run beside its profile; nil otherwise.
    public var mutant: EngineMutant?
    /// Scripted events, at virtual times from the start of the run.
    public var timeline: [TimelineEvent] = []
    public var watchdog = WatchdogParameters()
    /// Also run the same workload without COLO (client ↔ one guest, same link), to report the
    /// latency COLO added.
    public var measuresBaseline = true

    /// A clean request/response workload over the reference topology: 4 connections of 50
    /// exchanges (256-byte requests, 4 KiB responses, 100 ms think time).
    public init() {
        var workload = WorkloadConfiguration(server: HostNetwork.guestAddress)
        workload.connections = 4
        workload.requestsPerConnection = 50
        workload.requestSize = 256
        workload.responseSize = 4_096
        workload.thinkTime = .milliseconds(100)
        workload.connectionInterval = .milliseconds(10)
        self.workload = workload
        clientStack = StackConfiguration(name: "client", mac: HostNetwork.clientMAC, address: HostNetwork.clientAddress)
        // The topology's NIC may set another MAC (`mac=`).
        guestStack = StackConfiguration(name: "guest", mac: HostNetwork.guestMAC, address: HostNetwork.guestAddress)
    }

    /// `lockstep run` with no arguments: the clean workload plus one divergent response from the
    /// secondary guest (the first one it serves after 1 s), which costs one checkpoint.
    public static var defaultScenario: COLORunConfiguration {
        var configuration = COLORunConfiguration()
        configuration.timeline = [TimelineEvent(at: .seconds(1), .divergeSecondaryResponses(count: 1))]
        return configuration
    }
}

/// UDP queries from the client to the guests (``DatagramQueryClient``): query `i` leaves at
/// `i × interval`; an unanswered one is retried after `timeout`, `attempts` times in all.
public struct DatagramQueryWorkload: Sendable, Hashable {
    public var count = 2
    public var interval: VirtualDuration = .milliseconds(10)
    public var querySize = 32
    public var responseSize = 128
    public var port: UInt16 = 53
    public var timeout: VirtualDuration = .seconds(1)
    public var attempts = 1

    public init() {}
}

/// The chardev sockets between filters and compares.
public struct PipeParameters: Sendable, Hashable {
    /// A socket between two objects of one process (loopback).
    public var intraHostLatency: VirtualDuration = .microseconds(10)
    /// A socket between the two hosts.
    public var crossHostLatency: VirtualDuration = .microseconds(50)
    /// Extra delay drawn per write in `0...jitter` (never reorders bytes).
    public var jitter: VirtualDuration = .zero
    /// Whether each read takes a chosen part of the bytes available, so records split anywhere
    /// (a fuzzer's knob). Off, a read takes everything available up to QEMU's 4 KiB read
    /// buffer, as a local socket read does when the reader keeps up.
    public var splitsChunks = false
    /// Socket buffer bytes before a writer blocks (Linux's default `wmem_default`, 208 KiB).
    /// QEMU's writers then block (M-4, R-3): with `ProfileSelection.writers` `.qemu` the
    /// writing process's main loop wedges until the reader makes room. A real unix socket
    /// charges each write its buffer overhead too, so QEMU 7.2 wedged after about 113 KiB of
    /// 1.4 KB records (2 writes each) in a real run; lower this to match such records.
    public var capacity = 212_992

    public init() {}
}

/// The COLO framework's timing (spec §9) and the cost model of a checkpoint.
public struct ControllerParameters: Sendable, Hashable {
    /// `x-checkpoint-delay` (K-1): the longest time between checkpoints.
    public var checkpointDelay: VirtualDuration = .milliseconds(20_000)
    /// One way on the migration channel (CHECKPOINT_REQUEST, replies).
    public var channelLatency: VirtualDuration = .microseconds(50)
    /// Fixed part of sending the primary's state once it is stopped (K-5 steps 4–6).
    public var transferDuration: VirtualDuration = .milliseconds(5)
    /// Proportional part: nanoseconds per byte of state changed since the last checkpoint
    /// (estimated from the primary guest's traffic: payload bytes plus 64 bytes per frame).
    public var transferNanosecondsPerByte: Int64 = 0
    /// Largest extra time drawn, per checkpoint, in `0...transferJitter` and added to the
    /// transfer, so a fuzzer moves each flush and load against the records in flight. Zero
    /// draws nothing.
    public var transferJitter: VirtualDuration = .zero
    /// The secondary loading the state it received (K-7 step 3).
    public var loadDuration: VirtualDuration = .milliseconds(1)
    /// From the loss of a host to the failover command on the survivor (K-9: there is no
    /// heartbeat; an operator or a COLO error triggers it).
    public var failoverDelay: VirtualDuration = .zero
    /// Between the `object-del` commands of the documented teardown after a primary failover (K-11).
    public var operatorStepDelay: VirtualDuration = .milliseconds(1)
    /// Run the documented teardown (delete compare, iothread, mirror, redirectors) after a
    /// primary failover.
    public var runsDocumentedTeardown = true
    /// When the primary's `x-colo-lost-heartbeat` comes against the teardown (K-11).
    public var primaryFailoverOrder = PrimaryFailoverOrder.teardownFirst

    public init() {}
}

/// Which QEMU behaviour each part reproduces.
public struct ProfileSelection: Sendable, Hashable {
    public var compare: CompareProfile = .upstream
    public var rewriter: RewriterProfile = .upstream
    /// Redirector differences between 7.2 and upstream (§12).
    public var net: QEMUNetVersion = .upstream
    public var netQueue: NetQueueOrdering = .qemu
    public var framing: FramingProfile = .qemu
    /// What deleting a colo-compare does with its queued primaries (C-28): QEMU loses them.
    public var compareDeletion: CompareDeletionFlush = .qemu
    /// What a chardev writer does when the socket is full (M-4, R-3): QEMU's block.
    public var writers: WriterBlocking = .qemu

    public init() {}
}

/// The order of a primary failover's steps (K-11).
public enum PrimaryFailoverOrder: String, Sendable, Hashable, CaseIterable {
    /// QEMU's documented procedure: delete compare, iothread, mirror and redirectors, then
    /// `x-colo-lost-heartbeat`, after which a VM a checkpoint had stopped runs again.
    case teardownFirst = "teardown_first"
    /// Restart the VM first, then tear down: the guest's output stolen into the compare before
    /// its deletion is lost there (counted in the compare's ledgers).
    case restartFirst = "restart_first"
}

/// Limits that end a run which no longer makes progress, and say why.
public struct WatchdogParameters: Sendable, Hashable {
    /// Events the scheduler may run in total.
    public var maxEvents = 500_000_000
    /// Events at one virtual instant before the run is declared stuck (a livelock).
    public var maxEventsPerInstant = 1_000_000
    /// End the run when the unfinished workload has moved no byte for this long (nil: never).
    public var progressTimeout: VirtualDuration? = .seconds(120)

    public init() {}
}
