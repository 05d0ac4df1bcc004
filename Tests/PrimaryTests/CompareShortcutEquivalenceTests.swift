import Testing
@testable import Fabric
@testable import Primary

/// The engine's fast paths must not change a single decision: the same inputs give the same
/// actions, in the same order, whether or not they are taken.
@Suite("colo-compare fast paths decide as the general path")
struct CompareShortcutEquivalenceTests {
    typealias Input = CompareAccountingPropertyTests.Input

    /// Non-TCP traffic that keeps queues short and often empty (where the arrival shortcut
    /// applies) but also builds them up: a few flows and payloads, duplicates, unmatched and
    /// late copies on either side, ICMP and ARP, checkpoints, stalls and timeouts.
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

    static func run(_ inputs: [Input], profile: CompareProfile, maxQueueSize: UInt32, shortcuts: Bool) -> [CompareAction] {
        var compare = COLOCompare.make(profile, process: CompareProcess(maxQueueSize: maxQueueSize))
        compare.decidesArrivalsDirectly = shortcuts
        var actions: [CompareAction] = []
        var now: Int64 = 0
        for input in inputs {
            switch input {
            case .primary(let frame): compare.receivePrimary(frame, nowMs: now, into: &actions)
            case .secondary(let frame): compare.receiveSecondary(frame, nowMs: now, into: &actions)
            case .checkpoint: compare.checkpoint(nowMs: now, into: &actions)
            case .peer(let state): compare.setPeerState(state, for: .outdev, into: &actions)
            case .wait(let ms):
                now += ms
                compare.advanceTime(toMs: now, into: &actions)
            }
        }
        compare.setPeerState(.writable, for: .outdev, into: &actions)
        compare.delete(nowMs: now, into: &actions)
        return actions
    }

    @Test("C-6, C-14..C-17: deciding a non-TCP arrival directly gives the general path's actions",
          arguments: CompareProfile.all)
    func arrivalShortcut(profile: CompareProfile) {
        for seed in UInt64(1)...60 {
            for maxQueueSize: UInt32 in [1, 2, 1024] {
                let inputs = seed.isMultiple(of: 4) ? CompareAccountingPropertyTests.scenario(seed: seed) : Self.nonTCPScenario(seed: seed)
                let general = Self.run(inputs, profile: profile, maxQueueSize: maxQueueSize, shortcuts: false)
                let direct = Self.run(inputs, profile: profile, maxQueueSize: maxQueueSize, shortcuts: true)
                let first = zip(direct, general).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(direct.count, general.count)
                #expect(direct.count == general.count && first == direct.count,
                        "\(profile) seed \(seed) max_queue_size \(maxQueueSize): action #\(first) differs")
            }
        }
    }
}
