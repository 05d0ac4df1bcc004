import LockstepTestSupport
import Testing
@testable import Fabric
@testable import Primary

@Suite("colo-compare on hostile input (never traps, everything accounted)")
struct CompareRobustnessTests {
    /// Frames that stress every unchecked read of P-1 and C-8.
    static func hostileFrames(_ rng: inout SeededGenerator) -> [Frame] {
        var frames: [Frame] = []
        let tcp = Net.tcp(seq: 7, "payload bytes")
        let udp = Net.udp("datagram")
        for cut in 0...tcp.count { frames.append(Frame(Array(tcp.bytes.prefix(cut)))) }
        for cut in 0...udp.count { frames.append(Frame(Array(udp.bytes.prefix(cut)))) }
        for ihl: UInt8 in [0, 1, 4, 5, 15] {
            for frame in [tcp, udp] {
                var bytes = frame.bytes
                bytes[14] = 0x40 | ihl
                frames.append(Frame(bytes))
                frames.append(Frame(Array(bytes.prefix(40))))
            }
        }
        var longHeader = tcp.bytes
        longHeader[14 + 20 + 12] = 0xF0   // data offset 15: header runs past the frame
        frames.append(Frame(longHeader))
        for vnet: UInt32 in [0, 1, 20, 21, 4096, UInt32.max] {
            frames.append(Frame(tcp.bytes, vnetHeaderLength: vnet))
            frames.append(Frame(udp.bytes, vnetHeaderLength: vnet))
        }
        frames.append(Net.tcp(seq: 9, bytes: [UInt8](repeating: 0x5A, count: 69_632 - 54)))
        frames.append(Net.udp(String(repeating: "u", count: 69_632 - 42)))
        for _ in 0..<300 {
            let length = Int.random(in: 0...120, using: &rng)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if length > 24, Bool.random(using: &rng) {
                bytes[12] = 0x08; bytes[13] = 0x00
                bytes[23] = [6, 17, 1, 47].randomElement(using: &rng) ?? 6
            }
            frames.append(Frame(bytes, vnetHeaderLength: UInt32.random(in: 0...24, using: &rng)))
        }
        return frames
    }

    @Test("Bad input (truncation, IHL 0/15 past the frame, V > 20, oversized frames) never traps; every record is accounted")
    func hostileInput() {
        for profile in CompareProfile.all {
            var rng = SeededGenerator(seed: 42)
            let frames = Self.hostileFrames(&rng)
            var compare = COLOCompare.make(profile)
            var actions: [CompareAction] = []
            var now: Int64 = 0
            for frame in frames {
                now += 7
                compare.receivePrimary(frame, nowMs: now, into: &actions)
                compare.receiveSecondary(frame, nowMs: now, into: &actions)
                compare.advanceTime(toMs: now, into: &actions)
            }
            compare.checkpoint(nowMs: now, into: &actions)
            let audit = Accounting(actions)
            #expect(audit.problems(primaryCount: compare.primaryRecordCount, secondaryCount: compare.secondaryRecordCount).isEmpty, "\(profile)")
        }
    }

    @Test("C-8/C-11 (quirk sixteenBitArithmetic): a frame above 65 535 bytes is compared over its payload size mod 2^16")
    func sixteenBitPayload() {
        let size = 69_000
        var tail = [UInt8](repeating: 1, count: size)
        let primary = Net.tcp(seq: 100, bytes: tail)
        tail[size - 1] = 2   // beyond the first (size mod 65 536) payload bytes
        let secondary = Net.tcp(seq: 100, bytes: tail)
        var upstream = COLOCompare.make()
        _ = upstream.receivePrimary(primary, nowMs: 0)
        #expect(upstream.receiveSecondary(secondary, nowMs: 0).releases == [0])

        var quirks = CompareQuirks.upstream
        quirks[.sixteenBitArithmetic] = false
        var exact = COLOCompare.make(CompareProfile(name: "exact", quirks: quirks))
        _ = exact.receivePrimary(primary, nowMs: 0)
        #expect(exact.receiveSecondary(secondary, nowMs: 0).checkpointRequests.count == 1)
    }
}

/// Checks the "nothing lost silently" invariant over an action stream.
struct Accounting {
    var primaryOutcomes: [Int: [String]] = [:]
    var secondaryOutcomes: [Int: [String]] = [:]
    var writes: [Int: Int] = [:]
    var writeFailures: [Int: Int] = [:]

    init(_ actions: [CompareAction]) {
        for action in actions {
            switch action {
            case .event(.release(let r)):
                primaryOutcomes[r.primaryIndex, default: []].append("release:" + r.reason.token)
            case .event(.drop(let d)) where d.reason == .writeFailed:
                writeFailures[d.index, default: 0] += 1
            case .event(.drop(let d)):
                switch d.side {
                case .primary: primaryOutcomes[d.index, default: []].append("drop:" + d.reason.token)
                case .secondary: secondaryOutcomes[d.index, default: []].append("drop:" + d.reason.token)
                }
            case .write(let w) where w.channel == .outdev:
                if let index = w.primaryIndex { writes[index, default: 0] += 1 }
            default:
                break
            }
        }
    }

    /// Every primary released or dropped exactly once; every release written or failed once;
    /// every secondary dropped exactly once; nothing written that was not released.
    func problems(primaryCount: Int, secondaryCount: Int) -> [String] {
        var found: [String] = []
        for index in 0..<primaryCount {
            let outcomes = primaryOutcomes[index] ?? []
            if outcomes.count != 1 { found.append("primary #\(index): \(outcomes)") }
            let released = outcomes.first?.hasPrefix("release") == true
            let delivered = (writes[index] ?? 0) + (writeFailures[index] ?? 0)
            if released && delivered != 1 { found.append("primary #\(index) released but delivered \(delivered) times") }
            if !released && delivered != 0 { found.append("primary #\(index) written without a release") }
        }
        for index in 0..<secondaryCount {
            let outcomes = secondaryOutcomes[index] ?? []
            if outcomes.count != 1 { found.append("secondary #\(index): \(outcomes)") }
        }
        return found
    }
}
