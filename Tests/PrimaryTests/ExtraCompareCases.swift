import LockstepTestSupport
import Fabric
import Primary
import QEMUHarness

/// Differential cases beyond the harness's catalogue: QEMU's unchecked corners (reads past a
/// frame, 16-bit wraps, 802.1ad offsets, hostile headers) and larger seeded TCP streams with
/// full-size segments cut differently on each side.
enum ExtraCompareCases {
    static func tcp(_ seq: UInt32, ack: UInt32 = 5_000, _ payload: [UInt8], flags: TCPFlags = [.ack, .psh],
                    port: UInt16 = 80, configure: (inout IPv4FrameBuilder) -> Void = { _ in }) -> Frame {
        Net.tcp(seq: seq, ack: ack, bytes: payload, flags: flags, sourcePort: port, destinationPort: 40_000, configure: configure)
    }

    static func text(_ string: String) -> [UInt8] { Array(string.utf8) }

    static var corners: [CompareCase] {
        let zeros = [UInt8](repeating: 0, count: 5)
        var longHeader = tcp(1_000, text("abcd")).bytes
        longHeader[14 + 20 + 12] = 0xF0   // TCP data offset 15: the header runs past the frame
        var ihlZero = Net.udp("ihl0").bytes
        ihlZero[14] = 0x40
        var ihlBeyond = Net.udp("x").bytes
        ihlBeyond[14] = 0x4F   // IHL 15 = 60 bytes, frame too short
        let big = [UInt8](repeating: 7, count: 69_000)
        var bigChanged = big
        bigChanged[68_999] = 8
        let qinq = { (option: UInt8) in Net.udp("tagged") { $0.vlanTags = [(0x88A8, 7)]; $0.ipOptions = [1, 1, 1, option] } }
        return [
            CompareCase(name: "x-unaligned-remainders", rules: ["C-11 (quirk)"], steps: [
                .primary(tcp(1_000, text("abc"))), .secondary(tcp(1_001, text("abcd"))), .checkpoint,
            ]),
            CompareCase(name: "x-read-past-secondary-frame", rules: ["C-11 (emulator note)"], steps: [
                .primary(tcp(1_000, text("vwxyz") + zeros)), .secondary(tcp(1_005, text("vwxyz"))), .checkpoint,
            ]),
            CompareCase(name: "x-read-past-secondary-frame-nonzero", rules: ["C-11 (emulator note)"], steps: [
                .primary(tcp(1_000, text("vwxyzvwxyz"))), .secondary(tcp(1_005, text("vwxyz"))), .checkpoint,
            ]),
            CompareCase(name: "x-fresh-heap-slack-reads-zero", rules: ["C-11 (quirk pastFrameReads)"], steps: [
                .primary(tcp(1_000, text("vwxyz") + [UInt8](repeating: 0, count: 13))), .secondary(tcp(1_013, text("vwxyz"))),
                .checkpoint,
            ]),
            CompareCase(name: "x-fresh-heap-past-chunk-differs", rules: ["C-11 (quirk pastFrameReads)"], steps: [
                .primary(tcp(1_000, text("vwxyz") + [UInt8](repeating: 0, count: 14))), .secondary(tcp(1_014, text("vwxyz"))),
                .checkpoint,
            ]),
            CompareCase(name: "x-recycled-heap-slack-is-garbage", rules: ["C-11 (quirk pastFrameReads)"], steps:
                (0..<30).flatMap { i -> [CompareStep] in
                    let filler = Net.udp(String(repeating: "\u{7f}", count: 5 + i % 20))
                    return [.primary(filler), .secondary(filler)]
                }
                + [.primary(tcp(1_000, text("vwxyz") + zeros)), .secondary(tcp(1_005, text("vwxyz"))), .checkpoint]
            ),
            CompareCase(name: "x-sixteen-bit-payload", rules: ["C-8 (quirk)", "C-11"], steps: [
                .primary(tcp(1_000, big)), .secondary(tcp(1_000, bigChanged)),
                .primary(tcp(1_000 &+ 69_000, text("next"))), .secondary(tcp(1_000 &+ 69_000, text("next"))), .checkpoint,
            ]),
            CompareCase(name: "x-udp-qinq-offset", rules: ["C-15 (quirk)", "P-1.3"], steps: [
                .primary(qinq(1)), .secondary(qinq(0)), .primary(qinq(2)), .secondary(qinq(2)), .checkpoint,
            ]),
            CompareCase(name: "x-tcp-header-past-frame", rules: ["C-8", "P-1.6"], steps: [
                .primary(Frame(longHeader)), .secondary(Frame(longHeader)), .primary(tcp(1_000, text("abcd"))), .checkpoint,
            ]),
            CompareCase(name: "x-ihl-zero-and-beyond", rules: ["P-1.5", "C-3", "C-15"], steps: [
                .primary(Frame(ihlZero)), .secondary(Frame(ihlZero)), .primary(Frame(ihlBeyond)), .secondary(Frame(ihlBeyond)),
                .checkpoint,
            ]),
            CompareCase(name: "x-ack-gate-release-then-hold", rules: ["C-9", "C-11.2"], steps: [
                .secondary(tcp(1_000, ack: 100, text("abcdef"))), .primary(tcp(1_000, ack: 100, text("abc"))),
                .primary(tcp(1_003, ack: 101, text("def"))), .secondary(tcp(1_006, ack: 101, text("g"))),
                .primary(tcp(1_006, ack: 101, text("g"))), .checkpoint,
            ]),
            CompareCase(name: "x-equal-sequence-order", rules: ["C-7"], steps: [
                .primary(tcp(1_000, text("AAAA"))), .primary(tcp(1_000, text("BBBB"))), .checkpoint,
                .primary(tcp(2_000, text("one"))), .primary(tcp(2_000, text("two"))), .secondary(tcp(2_000, text("two"))), .checkpoint,
            ]),
            CompareCase(name: "x-queue-limit-then-mismatch", rules: ["C-6"], maxQueueSize: 1, steps: [
                .primary(Net.udp("x")), .primary(Net.udp("y")), .secondary(Net.udp("z")), .primary(Net.udp("w")),
                .secondary(Net.udp("x")), .checkpoint,
            ]),
        ]
    }

    /// A TCP stream of full-size segments (up to 1448 bytes) cut independently on each side,
    /// with lagging acks, pure ACKs, retransmissions (both sides), rare corruption and
    /// checkpoints; the sequence space starts near the wrap half of the time.
    static func randomStream(seed: UInt64) -> CompareCase {
        var rng = SeededGenerator(seed: seed &* 7_919)
        func below(_ n: Int) -> Int { Int.random(in: 0..<n, using: &rng) }
        func chance(_ percent: Int) -> Bool { below(100) < percent }
        let isn: UInt32 = chance(50) ? 0xFFFF_F000 &+ UInt32(below(4096)) : UInt32.random(in: 0...UInt32.max, using: &rng)
        let stream = (0..<(500 + below(6_000))).map { _ in UInt8.random(in: 0...255, using: &rng) }
        var secondaryStream = stream
        if chance(20) { secondaryStream[below(stream.count)] ^= 0xFF }
        func side(_ bytes: [UInt8], primary: Bool) -> [CompareStep] {
            var steps: [CompareStep] = []
            var offset = 0
            var ack: UInt32 = 9_000
            var sent: [Frame] = []
            while offset < bytes.count {
                let size = min(bytes.count - offset, chance(60) ? 1_448 : 1 + below(1_448))
                if chance(30) { ack &+= UInt32(1 + below(100)) }
                let lag: UInt32 = !primary && chance(15) ? UInt32(1 + below(50)) : 0
                let frame = tcp(isn &+ UInt32(offset), ack: ack &- lag, Array(bytes[offset..<offset + size]))
                steps.append(primary ? .primary(frame) : .secondary(frame))
                sent.append(frame)
                if chance(8) {
                    let pure = tcp(isn &+ UInt32(offset + size), ack: ack, [], flags: [.ack])
                    steps.append(primary ? .primary(pure) : .secondary(pure))
                }
                if chance(5), let old = sent.randomElement(using: &rng) { steps.append(primary ? .primary(old) : .secondary(old)) }
                offset += size
            }
            return steps
        }
        let primary = side(stream, primary: true)
        let secondary = side(secondaryStream, primary: false)
        var steps: [CompareStep] = []
        var p = 0, s = 0
        while p < primary.count || s < secondary.count {
            if s == secondary.count || (p < primary.count && chance(50)) {
                steps.append(primary[p]); p += 1
            } else {
                steps.append(secondary[s]); s += 1
            }
            if chance(3) { steps.append(.checkpoint) }
        }
        steps.append(.checkpoint)
        return CompareCase(name: "x-random-stream-seed-\(seed)", rules: ["C-7", "C-8", "C-9", "C-10", "C-11", "C-13"], steps: steps)
    }

    /// P-5 at QEMU's size: 16 385 connections fill the table; the next new key clears it and
    /// destroys the queued primaries, so the final flush releases only the newest connection's.
    static var tableReset: CompareCase {
        let fill: [CompareStep] = (1...16_385).map { (port: Int) -> CompareStep in
            .primary(Net.udp("p", sourcePort: UInt16(port), destinationPort: 1))
        }
        return CompareCase(name: "x-table-reset-at-16386", rules: ["P-5"], steps: fill + [
            .primary(Net.udp("new", sourcePort: 9, destinationPort: 9)), .secondary(Net.udp("p", sourcePort: 1, destinationPort: 1)),
            .primary(Net.udp("next", sourcePort: 9, destinationPort: 9)), .checkpoint,
        ])
    }

    static var all: [CompareCase] {
        corners + [tableReset] + (UInt64(1)...12).map(randomStream)
    }

    /// The profile a case is checked with: a fresh QEMU's heap, except where the case first
    /// recycles heap memory — there QEMU behaves as in steady state (`upstream` itself).
    static func profile(for testCase: CompareCase) -> CompareProfile {
        testCase.name.hasPrefix("x-recycled") ? .upstream : EngineCompareStepper.freshQEMU
    }
}
