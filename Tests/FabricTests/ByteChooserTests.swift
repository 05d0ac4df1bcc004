import Testing
import Fabric

/// The chooser of the libFuzzer orderings target: a run's decisions read from input bytes.
@Suite("ByteChooser: decisions from fuzzer bytes")
struct ByteChooserTests {
    static let point = ChoicePoint(.other, "test")
    /// Ranges as a run offers them: delivery orders, a chunk split, a latency in ns, an ISN, a
    /// full 64-bit draw.
    static let ranges: [UInt64] = [1, 2, 255, 256, 9, 1_999_999, UInt64(UInt32.max), .max, 4]

    static func decisions(_ bytes: [UInt8], ranges: [UInt64] = ranges) -> [UInt64] {
        let chooser = ByteChooser(bytes: bytes)
        return ranges.map { chooser.decide(point, maxOffset: $0) }
    }

    @Test("the same bytes give the same decisions, each within its range")
    func sameBytesSameDecisions() {
        var generator = Xoshiro256StarStar(seed: 17)
        let bytes = (0..<40).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let first = Self.decisions(bytes)
        #expect(first == Self.decisions(bytes))
        #expect(zip(first, Self.ranges).allSatisfy { $0 <= $1 })
    }

    @Test("each decision reads the bytes its range needs, little-endian, modulo the range's size")
    func widthsAndValues() {
        #expect([1, 255, 256, 65_535, 65_536, UInt64(UInt32.max), .max].map(ByteChooser.width(ofMaxOffset:)) == [1, 1, 2, 2, 3, 4, 8])
        let chooser = ByteChooser(bytes: [23, 0x34, 0x12, 0xFF, 7])
        #expect(chooser.decide(Self.point, maxOffset: 9) == 3, "23 mod 10")
        #expect(chooser.decide(Self.point, maxOffset: 0xFFFF) == 0x1234)
        #expect(chooser.decide(Self.point, maxOffset: 2) == 0, "255 mod 3")
        #expect(chooser.consumed == 4)
    }

    @Test("past the end every decision is 0, the canonical one, and the empty input is the canonical run")
    func exhaustedIsCanonical() {
        let chooser = ByteChooser(bytes: [5, 0x01])
        #expect(chooser.decide(Self.point, maxOffset: 9) == 5)
        #expect(chooser.decide(Self.point, maxOffset: 0xFFFF_FFFF) == 1, "a partial read keeps the bytes there are")
        #expect(chooser.isExhausted)
        #expect(chooser.decide(Self.point, maxOffset: 7) == 0)
        #expect(Self.decisions([]) == Array(repeating: 0, count: Self.ranges.count))
    }

    @Test("a mutated byte changes one small decision and leaves the later ones")
    func mutationIsLocal() {
        let ranges: [UInt64] = [3, 3, 3, 3]
        #expect(Self.decisions([1, 2, 3, 0], ranges: ranges) == [1, 2, 3, 0])
        #expect(Self.decisions([1, 6, 3, 0], ranges: ranges) == [1, 2, 3, 0], "6 mod 4")
        #expect(Self.decisions([1, 1, 3, 0], ranges: ranges) == [1, 1, 3, 0])
    }

    @Test("input(answering:) is the inverse: recorded decisions become bytes that answer them again")
    func recordedRunsBecomeInputs() {
        let recorder = RecordingChooser(wrapping: SeededChooser(seed: 99), keepsLog: true)
        let recorded = Self.ranges.map { recorder.decide(Self.point, maxOffset: $0) }
        let input = ByteChooser.input(answering: recorder.log)
        #expect(Self.decisions(input) == recorded)
        #expect(input.last != 0, "trailing zero bytes are left out")
        let canonical = RecordingChooser(wrapping: CanonicalChooser(), keepsLog: true)
        for range in Self.ranges { _ = canonical.decide(Self.point, maxOffset: range) }
        #expect(ByteChooser.input(answering: canonical.log).isEmpty)
    }

    @Test("the scheduler's choice among simultaneous events reads one byte, like any small decision")
    func simultaneousEvents() {
        let chooser = ByteChooser(bytes: [7, 2])
        #expect(chooser.chooseSimultaneous(count: 3) { _ in EventLabel("e") } == 1)
        #expect(chooser.chooseSimultaneous(count: 3) { _ in EventLabel("e") } == 2)
        #expect(chooser.consumed == 2)
    }
}
