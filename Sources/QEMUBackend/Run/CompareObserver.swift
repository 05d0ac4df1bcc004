import Fabric
import Primary
import Deployment
import COLORuntime

/// One real colo-compare as Lockstep sees it from outside: the records its relays forward to
/// primary_in and secondary_in, the records it writes on outdev (its releases), and its trace
/// lines. A shadow ``COLOCompare`` (QEMU's behaviour, the `upstream` profile) is fed the same
/// input records in the order the relays saw them; its decisions explain QEMU's (which record
/// matched, why a checkpoint was asked for), and every release QEMU makes is checked against
/// the shadow's: the same frame, in the same order.
final class CompareObserver {
    struct Counters: Sendable, Hashable {
        var primaryRecords = 0
        var secondaryRecords = 0
        var released = 0
        var releasedUnparsed = 0
        var secondaryUnparsed = 0
        var primaryDropped = 0
        var framingErrors = 0
        var checkpointRequests = 0
    }

    let id: String
    let monitorSlot: Int
    /// The filter that reads the compare's outdev on the primary (normally redire0), named in
    /// the log's injection entries, and the netdev it sends on.
    let outputReader: String?
    let outputNetdev: String?
    private(set) var shadow: COLOCompare
    private(set) var counters = Counters()
    /// Releases the shadow made that QEMU has not (yet) made, oldest first.
    private var shadowReleases: [[UInt8]] = []
    private var shadowReleasesStart = 0
    /// The first release where QEMU and the shadow parted, if any.
    private(set) var firstDisagreement: String?
    private(set) var disagreements = 0
    private(set) var agreements = 0
    /// The shadow's checkpoint requests since the last flush, with their instants.
    private(set) var shadowRequests: [(time: VirtualTime, request: CompareCheckpointRequest)] = []
    private var tcpRequestsTaken = 0
    /// Recent primary records (index, arrival, connection), to name the packet a traced timeout
    /// found when the shadow has already matched it (its secondary twin came in meanwhile).
    private var recentPrimaries: [(index: Int, time: VirtualTime, connection: ConnectionKey?)] = []
    private var actions: [CompareAction] = []

    init(configuration: COLOCompareConfiguration, monitorSlot: Int, outputReader: String?, outputNetdev: String?) throws(QEMUBackendError) {
        id = configuration.id
        self.monitorSlot = monitorSlot
        self.outputReader = outputReader
        self.outputNetdev = outputNetdev
        let properties: COLOCompareProperties
        do {
            properties = try configuration.properties()
        } catch {
            throw .unsupportedTopology("colo-compare \(configuration.id): \(error)")
        }
        let process = CompareProcess()
        process.adoptMaxQueueSize(of: properties)
        shadow = COLOCompare(configuration: COLOCompare.Configuration(properties, profile: .upstream), process: process, nowMs: 0)
    }

    // MARK: Inputs QEMU's compare read

    func primaryRecord(_ frame: Frame, at time: VirtualTime, log: RunLog) {
        let connection: ConnectionKey? = switch COLOPacketParser.parse(frame) {
        case .success(let layout): ConnectionKey(bytes: frame.bytes, layout: layout)
        case .failure: nil
        }
        recentPrimaries.append((counters.primaryRecords, time, connection))
        if recentPrimaries.count > 4_096 { recentPrimaries.removeFirst(1_024) }
        counters.primaryRecords += 1
        shadow.receivePrimary(frame, nowMs: time.milliseconds, into: &actions)
        record(at: time, log: log)
    }

    func secondaryRecord(_ frame: Frame, at time: VirtualTime, log: RunLog) {
        counters.secondaryRecords += 1
        if case .failure = COLOPacketParser.parse(frame) { counters.secondaryUnparsed += 1 }
        shadow.receiveSecondary(frame, nowMs: time.milliseconds, into: &actions)
        record(at: time, log: log)
    }

    func inputFramingError() {
        counters.framingErrors += 1
    }

    /// QEMU flushed the compare for a checkpoint (C-20); the shadow flushes too.
    func checkpointFlush(at time: VirtualTime, log: RunLog) {
        shadow.checkpoint(nowMs: time.milliseconds, into: &actions)
        record(at: time, log: log)
        shadowRequests.removeAll()
        tcpRequestsTaken = 0
    }

    /// The shadow's TCP requests (payload mismatch, ack gate) not yet handed over: QEMU leaves
    /// no trace line for these, so the shadow's stand for them.
    func takeNewTCPRequests() -> [(time: VirtualTime, request: CompareCheckpointRequest)] {
        defer { tcpRequestsTaken = shadowRequests.count }
        return shadowRequests[tcpRequestsTaken...].filter { item in
            switch item.request.reason {
            case .payloadMismatch, .ackGate: true
            case .noMatch, .timeout: false
            }
        }
    }

    /// QEMU's scan found a packet older than compare_timeout (created at `created`, traced at
    /// `traced`): the shadow scans now, so its request names the packet and its age. When the
    /// shadow no longer holds an old packet (the twin arrived between QEMU's scan and this
    /// moment), the primary record that arrived at the traced creation time is named.
    func timeoutTraced(at time: VirtualTime, created: VirtualTime?, traced: VirtualTime, log: RunLog) -> CompareCheckpointRequest? {
        let before = shadowRequests.count
        shadow.scanTimerFired(nowMs: time.milliseconds, into: &actions)
        record(at: time, log: log)
        if shadowRequests.count > before { return shadowRequests.last?.request }
        guard let created, let packet = recentPrimaries.last(where: { $0.time <= created + .milliseconds(2) }),
              let connection = packet.connection else { return nil }
        return CompareCheckpointRequest(
            connection: connection,
            reason: .timeout(PacketTimeout(side: .primary, index: packet.index, ageMs: (traced - created).milliseconds,
                                           timeoutMs: shadow.configuration.compareTimeoutMs)),
            delivery: .local)
    }

    func setProperty(_ property: CompareRuntimeProperty, _ value: UInt64) {
        switch property {
        case .compareTimeout: try? shadow.setCompareTimeout(value)
        case .expiredScanCycle: try? shadow.setExpiredScanCycle(value)
        case .maxQueueSize: try? shadow.process.setMaxQueueSize(value)
        }
    }

    func primaryDropTraced() {
        counters.primaryDropped += 1
    }

    /// A request the trace shows (no_match, timeout) or the shadow made (TCP), counted once.
    func countRequest() {
        counters.checkpointRequests += 1
    }

    // MARK: QEMU's output

    /// A record QEMU's compare wrote on outdev: one release, checked against the shadow's.
    func released(_ frame: Frame) {
        counters.released += 1
        if case .failure = COLOPacketParser.parse(frame) { counters.releasedUnparsed += 1 }
        if shadowReleasesStart < shadowReleases.count, shadowReleases[shadowReleasesStart] == frame.bytes {
            shadowReleasesStart += 1
            agreements += 1
        } else {
            disagreements += 1
            if firstDisagreement == nil {
                let expected = shadowReleasesStart < shadowReleases.count
                    ? "the shadow's next release was \(PacketSummary.describe(Frame(shadowReleases[shadowReleasesStart])))"
                    : "the shadow had released nothing more"
                firstDisagreement = "release \(counters.released) of \(id): QEMU released \(PacketSummary.describe(frame)); \(expected)"
            }
            if let index = shadowReleases[shadowReleasesStart...].firstIndex(of: frame.bytes) {
                shadowReleasesStart = index + 1
            }
        }
        if shadowReleasesStart > 256 {
            shadowReleases.removeFirst(shadowReleasesStart)
            shadowReleasesStart = 0
        }
    }

    /// The shadow's decisions go to the log as this compare's; its writes are the releases QEMU
    /// should make; its requests wait to explain the next checkpoint.
    private func record(at time: VirtualTime, log: RunLog) {
        let hash = FNV1a64.hash(id)
        for action in actions {
            switch action {
            case .event(let decision):
                log.compare(decision, host: .primary, object: id, objectHash: hash)
                if case .checkpointRequest(let request) = decision { shadowRequests.append((time, request)) }
            case .write(let write) where write.channel == .outdev:
                shadowReleases.append(write.frame.bytes)
            case .write, .requestCheckpoint:
                break
            }
        }
        actions.removeAll(keepingCapacity: true)
    }

    /// The compare's figures for the report.
    var figures: TrafficSummary.Compare {
        TrafficSummary.Compare(
            id: id, primaryRecords: counters.primaryRecords, secondaryRecords: counters.secondaryRecords,
            released: counters.released, primaryDropped: counters.primaryDropped, checkpointRequests: counters.checkpointRequests,
            framingErrors: counters.framingErrors, releasedUnparsed: counters.releasedUnparsed, droppedUnparsed: counters.secondaryUnparsed)
    }
}
