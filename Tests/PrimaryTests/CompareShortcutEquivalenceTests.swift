import LockstepTestSupport
import Testing
@testable import Fabric
@testable import Primary

/// The engine decides a non-TCP arrival against an otherwise empty queue of its own directly
/// (`CompareConnection.matchArrival`) instead of inserting it and running C-14's loop. Here both
/// run side by side on every arrival of random traffic, each on its own copy of the connection
/// as the arrival finds it: where the shortcut decides, it must give the general path's actions
/// and leave its queues; where it does not, it must change nothing, and where it reports nothing
/// to compare, the general path's loop must indeed do nothing.
@Suite("colo-compare fast paths decide as the general path")
struct CompareShortcutEquivalenceTests {
    typealias Input = CompareAccountingPropertyTests.Input

    /// Non-TCP traffic that keeps queues short and often empty (where the arrival shortcut
    /// applies) but also builds them up: a few flows and payloads, duplicates, unmatched and
    /// late copies on either side, ICMP and ARP, checkpoints (stalls and timeouts change no queue
    /// and are passed over here).
    static func nonTCPScenario(seed: UInt64) -> [Input] {
        var rng = SeededGenerator(seed: seed)
        var inputs: [Input] = []
        let payloads = ["a", "bb", "a", "cccc", ""]
        for _ in 0..<Int.random(in: 20...160, using: &rng) {
            let payload = payloads.randomElement(using: &rng) ?? "a"
            let port = UInt16.random(in: 1...3, using: &rng)
            let frame: Frame = switch Int.random(in: 0..<10, using: &rng) {
            case 0: Net.icmpEchoReply(sequence: port, payload)
            case 1: Net.builder.arp(operation: 1)
            default: Net.udp(payload, sourcePort: port)
            }
            let other = Int.random(in: 0..<6, using: &rng) == 0 ? Net.udp(payload + "!", sourcePort: port) : frame
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<40: inputs += [.primary(frame), .secondary(other)]
            case 40..<70: inputs += [.secondary(other), .primary(frame)]
            case 70..<80: inputs.append(.primary(frame))
            case 80..<90: inputs.append(.secondary(other))
            case 90..<93: inputs.append(.checkpoint)
            case 93..<96: inputs.append(.peer([.writable, .blocked, .failing].randomElement(using: &rng) ?? .writable))
            default: inputs.append(.wait(Int64.random(in: 1...2000, using: &rng)))
            }
        }
        return inputs
    }

    /// What each way of deciding an arrival did to its copy of the connection.
    struct Decided {
        var connection: CompareConnection
        var sink: DecisionSink

        init(_ connection: CompareConnection, quirks: CompareQuirks) {
            self.connection = connection
            sink = DecisionSink(vnetHeaderSupport: false, hasNotifyDev: false, quirks: quirks)
        }

        var snapshot: CompareConnectionSnapshot { CompareConnectionSnapshot(connection) }
    }

    @Test("C-6, C-14..C-17: deciding a non-TCP arrival directly gives the general path's actions and queues",
          arguments: CompareProfile.all)
    func arrivalShortcut(profile: CompareProfile) {
        let quirks = profile.quirks
        // How often the shortcut answered each way: every answer must be met often enough to mean something.
        var outcomes = (decided: 0, nothingToCompare: 0, undecided: 0)
        for seed in UInt64(1)...60 {
            for maxQueueSize: UInt32 in [1, 2, 1024] {
                let inputs = seed.isMultiple(of: 4) ? CompareAccountingPropertyTests.scenario(seed: seed) : Self.nonTCPScenario(seed: seed)
                var connections: [ConnectionKey: CompareConnection] = [:]
                var counts: [CompareSide: Int] = [:]
                for (step, input) in inputs.enumerated() {
                    let side: CompareSide, frame: Frame
                    switch input {
                    case .primary(let arriving): (side, frame) = (.primary, arriving)
                    case .secondary(let arriving): (side, frame) = (.secondary, arriving)
                    case .checkpoint:
                        // C-20 empties both queues of every connection.
                        connections = connections.mapValues { connection in
                            var flushed = connection
                            flushed.primary.removeAll()
                            flushed.secondary.removeAll()
                            return flushed
                        }
                        continue
                    case .peer, .wait: continue
                    }
                    let index = counts[side, default: 0]
                    counts[side] = index + 1
                    guard !frame.isEmpty, case .success(let layout) = COLOPacketParser.parse(frame),
                          layout.ipProtocol != IPProtocolNumber.tcp else { continue }
                    let key = ConnectionKey(bytes: frame.bytes, layout: layout)
                    let found = Decided(connections[key] ?? CompareConnection(key: key), quirks: quirks)

                    var direct = found
                    let outcome = direct.connection.matchArrival(frame, layout: layout, index: index, side: side,
                                                                 quirks: quirks, sink: &direct.sink)
                    // The general path: C-6's insertion (an empty queue accepts whatever the
                    // limit), then C-14's loop.
                    var general = found
                    let length = side == .primary ? general.connection.primary.count : general.connection.secondary.count
                    let packet = QueuedPacket(frame: frame, index: index, creationMs: 0, layout: layout)
                    if !general.connection.insert(packet, side: side, queueLength: length, maxQueueSize: maxQueueSize, quirks: quirks) {
                        general.sink.drop(side, index: index, connection: key, reason: .queueFull(queueLength: length, maxQueueSize: maxQueueSize))
                    }
                    let insertionActions = general.sink.actions.count
                    general.connection.compareNonTCP(quirks: quirks, sink: &general.sink)

                    let place = "\(profile) seed \(seed) max_queue_size \(maxQueueSize) step \(step)"
                    switch outcome {
                    case .decided:
                        outcomes.decided += 1
                        #expect(direct.sink.actions == general.sink.actions, "\(place): actions differ")
                        #expect(direct.snapshot == general.snapshot, "\(place): queues differ")
                    case .nothingToCompare:
                        outcomes.nothingToCompare += 1
                        #expect(direct.sink.actions.isEmpty && direct.snapshot == found.snapshot, "\(place): the shortcut changed something")
                        #expect(general.sink.actions.count == insertionActions, "\(place): the general path had something to compare")
                    case .undecided:
                        outcomes.undecided += 1
                        #expect(direct.sink.actions.isEmpty && direct.snapshot == found.snapshot, "\(place): the shortcut changed something")
                    }
                    connections[key] = general.connection
                }
            }
        }
        let (decided, nothingToCompare, undecided) = outcomes
        #expect(decided > 1_000)
        #expect(nothingToCompare > 1_000)
        #expect(undecided > 1_000)
    }
}
