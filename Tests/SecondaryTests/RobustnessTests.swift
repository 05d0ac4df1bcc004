import LockstepTestSupport
import Testing
@testable import Fabric
@testable import Secondary

@Suite("Hostile input never crashes the rewriter and no frame is lost")
struct RobustnessTests {
    /// Feeds `frame` from both sides through every profile and checks the invariants.
    func exercise(_ rewriters: inout [FilterRewriter], _ frame: Frame) {
        for index in rewriters.indices {
            for side in RewriterSide.allCases {
                let outcome = rewriters[index].receive(frame, from: side)
                #expect(outcome.frame.count == frame.count)
                #expect(outcome.frame.vnetHeaderLength == frame.vnetHeaderLength)
                #expect((outcome.record.rewrite == nil) == (outcome.record.unchangedReason != nil))
                if outcome.handling == .passed { #expect(outcome.frame == frame) }
            }
        }
    }

    func rewritersWithOffsets(vnet: UInt32 = 0) -> [FilterRewriter] {
        RewriterProfile.all.map { profile in
            var rewriter = FilterRewriter(profile: profile, vnetHeaderLength: vnet, tableResetThreshold: 64)
            rewriter.setConnectionForTesting(Flow().key, RewriterConnection(tcpState: .established, offset: 0x8000_0001))
            return rewriter
        }
    }

    @Test("Every truncation of valid TCP frames (with and without options) is handled")
    func truncations() {
        var rewriters = rewritersWithOffsets()
        var optioned = Flow()
        optioned.ipOptions = [7, 7, 0, 0, 1, 1, 1, 1]
        let frames = [
            Flow().toGuest(seq: 1, ack: 2, .ack, payload: [1, 2, 3], options: [.sack([.init(left: 1, right: 2)])]),
            Flow().fromGuest(seq: 1, ack: 2, [.ack, .fin]),
            optioned.toGuest(seq: 1, ack: 2, .ack, payload: [9]),
        ]
        for frame in frames {
            for length in 0...frame.count {
                exercise(&rewriters, Frame(Array(frame.bytes.prefix(length))))
            }
        }
    }

    @Test("Mutated header fields (IHL, total length, data offset, flags, fragment bits) are handled")
    func mutations() {
        var rewriters = rewritersWithOffsets()
        let base = Flow().toGuest(seq: 1, ack: 2, .ack, payload: [1, 2, 3, 4, 5, 6, 7, 8])
        for ihl in UInt8(0)...15 {
            for totalLength: UInt16 in [0, 1, 19, 20, 39, 40, 48, 0xffff] {
                for dataOffsetByte: UInt8 in [0x00, 0x50, 0xf0] {
                    var bytes = base.bytes
                    bytes[14] = 0x40 | ihl
                    bytes.setBE16(totalLength, at: 16)
                    bytes[14 + 20 + 12] = dataOffsetByte
                    exercise(&rewriters, Frame(bytes))
                }
            }
        }
        for fragmentBits: UInt16 in [0x2000, 0x0001, 0x3fff, 0x8000] {
            var bytes = base.bytes
            bytes.setBE16(fragmentBits, at: 20)
            exercise(&rewriters, Frame(bytes))
        }
    }

    @Test("P-3: the rewriter's TCP key equals Fabric's ConnectionKey for every frame, both orientations")
    func keyMatchesFabric() {
        var generator = SeededGenerator(seed: 3)
        for length in 0..<120 {
            for _ in 0..<20 {
                var bytes = Flow().toGuest(seq: 1, ack: 2, .ack, payload: [1, 2, 3]).bytes
                bytes = Array(bytes.prefix(length))
                for index in bytes.indices where Int.random(in: 0..<8, using: &generator) == 0 {
                    bytes[index] = UInt8.random(in: 0...255, using: &generator)
                }
                guard case .success(let layout) = COLOPacketParser.parse(bytes, vnetHeaderLength: 0),
                      layout.ipProtocol == IPProtocolNumber.tcp else { continue }
                for reversed in [false, true] {
                    #expect(FilterRewriter.tcpKey(bytes, layout, reversed: reversed) == ConnectionKey(bytes: bytes, layout: layout, reversed: reversed))
                }
            }
        }
    }

    @Test("Seeded random frames and random TCP streams on many connections are handled deterministically")
    func randomStreams() {
        var generator = SeededGenerator(seed: 0xC010)
        var first = rewritersWithOffsets(vnet: 0)
        var second = rewritersWithOffsets(vnet: 0)
        var frames: [(Frame, RewriterSide)] = []
        for _ in 0..<3_000 {
            var flow = Flow()
            flow.clientPort = UInt16.random(in: 1...80, using: &generator)
            let flags = TCPFlags(rawValue: UInt8.random(in: 0...255, using: &generator))
            let seq = UInt32.random(in: 0...UInt32.max, using: &generator)
            let ack = UInt32.random(in: 0...UInt32.max, using: &generator)
            let payload = (0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let side: RewriterSide = Bool.random(using: &generator) ? .netdev : .nic
            var frame = side == .netdev ? flow.toGuest(seq: seq, ack: ack, flags, payload: payload) : flow.fromGuest(seq: seq, ack: ack, flags, payload: payload)
            if Int.random(in: 0..<4, using: &generator) == 0 {
                let position = Int.random(in: 0..<frame.count, using: &generator)
                frame.bytes[position] = UInt8.random(in: 0...255, using: &generator)
            }
            if Int.random(in: 0..<10, using: &generator) == 0 {
                frame = Frame((0..<Int.random(in: 0...80, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            }
            frames.append((frame, side))
        }
        var firstOutputs: [RewriterOutcome] = []
        var secondOutputs: [RewriterOutcome] = []
        for (frame, side) in frames {
            for index in first.indices {
                firstOutputs.append(first[index].receive(frame, from: side))
                secondOutputs.append(second[index].receive(frame, from: side))
            }
            if Int.random(in: 0..<200, using: &generator) == 0 {
                for index in first.indices {
                    #expect(first[index].checkpoint() == second[index].checkpoint())
                }
            }
        }
        #expect(firstOutputs == secondOutputs)
        #expect(first.map(\.counters) == second.map(\.counters))
        #expect(first.allSatisfy { $0.counters.framesReceived == 3_000 })
    }
}
