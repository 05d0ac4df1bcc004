import LockstepTestSupport
import Testing
@testable import Fabric
@testable import Primary

@Suite("colo-compare accounting property")
struct CompareAccountingPropertyTests {
    enum Input {
        case primary(Frame)
        case secondary(Frame)
        case checkpoint
        case peer(PeerState)
        case wait(Int64)
    }

    /// A random mix of TCP streams segmented differently on each side (with corruption,
    /// retransmissions and pure ACKs), UDP and ICMP traffic, unparseable frames, checkpoints,
    /// output stalls and failures.
    static func scenario(seed: UInt64) -> [Input] {
        var rng = SeededGenerator(seed: seed)
        var primary: [Frame] = []
        var secondary: [Frame] = []
        for flow in 0..<3 {
            let port = UInt16(5000 + flow)
            let stream = (0..<Int.random(in: 0...3000, using: &rng)).map { _ in UInt8.random(in: 97...100, using: &rng) }
            for (side, corrupt) in [(0, false), (1, Int.random(in: 0..<4, using: &rng) == 0)] {
                var position = 0
                let isn = UInt32.random(in: 0...UInt32.max, using: &rng)
                while position < stream.count {
                    let size = min(stream.count - position, Int.random(in: 1...700, using: &rng))
                    var bytes = Array(stream[position..<position + size])
                    if corrupt, Int.random(in: 0..<10, using: &rng) == 0 { bytes[0] ^= 0xFF }
                    let ack = UInt32.random(in: 1...3, using: &rng)
                    let frame = Net.tcp(seq: isn &+ UInt32(position), ack: ack, bytes: bytes, destinationPort: port)
                    if side == 0 { primary.append(frame) } else { secondary.append(frame) }
                    if Int.random(in: 0..<8, using: &rng) == 0 {   // a retransmission or a pure ACK
                        let extra = Bool.random(using: &rng) ? frame
                            : Net.tcp(seq: isn &+ UInt32(position + size), ack: ack, bytes: [], flags: [.ack], destinationPort: port)
                        if side == 0 { primary.append(extra) } else { secondary.append(extra) }
                    }
                    position += size
                }
            }
        }
        for _ in 0..<Int.random(in: 0...40, using: &rng) {
            let payload = String(repeating: "x", count: Int.random(in: 0...30, using: &rng))
            let port = UInt16.random(in: 1...3, using: &rng)
            primary.append(Net.udp(payload, sourcePort: port))
            if Int.random(in: 0..<5, using: &rng) > 0 { secondary.append(Net.udp(payload, sourcePort: port)) }
            if Int.random(in: 0..<6, using: &rng) == 0 { primary.append(Net.icmpEchoReply(sequence: UInt16(port))) }
            if Int.random(in: 0..<6, using: &rng) == 0 { secondary.append(Net.icmpEchoReply(sequence: 9)) }
            if Int.random(in: 0..<10, using: &rng) == 0 { primary.append(Net.builder.arp(operation: 1)) }
        }
        var inputs: [Input] = []
        var p = primary.makeIterator()
        var s = secondary.shuffled(using: &rng).makeIterator()
        var pending = primary.count + secondary.count
        while pending > 0 {
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<45: if let f = p.next() { inputs.append(.primary(f)); pending -= 1 }
            case 45..<90: if let f = s.next() { inputs.append(.secondary(f)); pending -= 1 }
            case 90..<92: inputs.append(.checkpoint)
            case 92..<95: inputs.append(.peer([.writable, .blocked, .failing].randomElement(using: &rng) ?? .writable))
            default: inputs.append(.wait(Int64.random(in: 1...2000, using: &rng)))
            }
        }
        return inputs
    }

    @Test("Every parseable primary is released exactly once or dropped with a reason after a final flush; no secondary is lost silently",
          arguments: CompareProfile.all)
    func nothingLostSilently(profile: CompareProfile) {
        for seed in UInt64(1)...40 {
            var compare = COLOCompare.make(profile, timeout: 3000, scan: 1000)
            var actions: [CompareAction] = []
            var now: Int64 = 0
            for input in Self.scenario(seed: seed) {
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
            compare.checkpoint(nowMs: now, into: &actions)
            let problems = Accounting(actions).problems(primaryCount: compare.primaryRecordCount,
                                                        secondaryCount: compare.secondaryRecordCount)
            #expect(problems.isEmpty, "\(profile) seed \(seed): \(problems.prefix(5))")
            #expect(compare.queuedPrimaryCount == 0 && compare.pendingOutputCount == 0)
        }
    }

    @Test("The engine is deterministic: the same inputs give the same actions")
    func deterministic() {
        func run() -> [CompareAction] {
            var compare = COLOCompare.make()
            var actions: [CompareAction] = []
            var now: Int64 = 0
            for input in Self.scenario(seed: 7) {
                switch input {
                case .primary(let frame): compare.receivePrimary(frame, nowMs: now, into: &actions)
                case .secondary(let frame): compare.receiveSecondary(frame, nowMs: now, into: &actions)
                case .checkpoint: compare.checkpoint(nowMs: now, into: &actions)
                case .peer(let state): compare.setPeerState(state, for: .outdev, into: &actions)
                case .wait(let ms): now += ms; compare.advanceTime(toMs: now, into: &actions)
                }
            }
            return actions
        }
        #expect(run() == run())
    }
}
