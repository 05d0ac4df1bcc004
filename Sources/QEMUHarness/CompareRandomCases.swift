import Fabric

extension CompareCatalogue {
    /// A TCP byte stream sent by both guests with independent segmentation, randomly
    /// interleaved, with occasional divergence, lagging acks, pure ACKs, retransmissions and
    /// checkpoints. The sequence space starts near 2^32 half of the time.
    static func randomTCP(seed: UInt64) -> CompareCase {
        var random = CaseRandom(seed: seed)
        let flow = Flow(guestPort: UInt16(1_024 + random.below(1_000)))
        let isn: UInt32 = random.chance(50)
            ? 0xffff_ff00 &+ UInt32(random.below(256)) : UInt32(truncatingIfNeeded: random.next())
        let stream = random.bytes(16 + random.below(150))
        var secondaryStream = stream
        if random.chance(25) {
            let position = random.below(stream.count)
            secondaryStream[position] ^= 0x5a
        }
        let ackBase: UInt32 = 5_000

        func segments(_ bytes: [UInt8], lagging: Bool) -> [CompareStep] {
            var steps: [CompareStep] = []
            var offset = 0
            var ack = ackBase
            while offset < bytes.count {
                let size = min(bytes.count - offset, 1 + random.below(24))
                if random.chance(30) { ack &+= UInt32(1 + random.below(40)) }
                let lag: UInt32 = lagging && random.chance(20) ? UInt32(1 + random.below(10)) : 0
                let frame = flow.tcp(isn &+ UInt32(offset), ack: ack &- lag, Array(bytes[offset..<offset + size]))
                steps.append(lagging ? .secondary(frame) : .primary(frame))
                if random.chance(10) {
                    let pure = flow.tcp(isn &+ UInt32(offset + size), ack: ack, flags: [.ack])
                    steps.append(lagging ? .secondary(pure) : .primary(pure))
                }
                if !lagging && random.chance(5) { steps.append(.primary(frame)) }
                offset += size
            }
            return steps
        }

        let primary = segments(stream, lagging: false)
        let secondary = segments(secondaryStream, lagging: true)
        var steps: [CompareStep] = []
        var p = 0, s = 0
        while p < primary.count || s < secondary.count {
            let takePrimary = s == secondary.count || (p < primary.count && random.chance(50))
            if takePrimary {
                steps.append(primary[p])
                p += 1
            } else {
                steps.append(secondary[s])
                s += 1
            }
            if random.chance(4) { steps.append(.checkpoint) }
        }
        steps.append(.checkpoint)
        return CompareCase(name: "random-tcp-seed-\(seed)", rules: ["C-7", "C-8", "C-9", "C-10", "C-11", "C-13"], steps: steps)
    }

    /// UDP on two flows plus ICMP, payloads from a tiny alphabet so that matches, late
    /// secondaries, LIFO effects and mismatches all occur.
    static func randomDatagrams(seed: UInt64) -> CompareCase {
        var random = CaseRandom(seed: seed &* 1_000_003)
        let flows = [Flow(guestPort: 53, clientPort: 5_353), Flow(guestPort: 123, clientPort: 123)]
        let words = ["a", "b", "c", "dd"].map { Array($0.utf8) }
        var steps: [CompareStep] = []
        var pendingSecondary: [Frame] = []
        for _ in 0..<(30 + random.below(30)) {
            let kind = random.below(10)
            let payload = words[random.below(words.count)]
            let frame: Frame
            if kind < 2 {
                frame = CaseFrames.icmpEcho(from: guestIP, to: clientIP, type: 0, identifier: 1,
                                            sequence: UInt16(random.below(3)), payload: payload)
            } else {
                frame = flows[kind % 2].udp(payload)
            }
            steps.append(.primary(frame))
            var secondary = frame
            if random.chance(15) { secondary = flows[kind % 2].udp(words[random.below(words.count)]) }
            pendingSecondary.append(secondary)
            while !pendingSecondary.isEmpty && random.chance(55) {
                steps.append(.secondary(pendingSecondary.removeFirst()))
            }
            if random.chance(5) { steps.append(.checkpoint) }
        }
        steps += pendingSecondary.map { .secondary($0) }
        steps.append(.checkpoint)
        return CompareCase(name: "random-datagrams-seed-\(seed)", rules: ["C-14", "C-15", "C-16", "C-20"], steps: steps)
    }
}
