import Testing
@testable import Fabric

@Suite("Seeded randomness and choosers")
struct RandomSourceTests {
    @Test("SplitMix64 known answers (seed 0 and 7)")
    func splitMixKnownAnswers() {
        var zero = SplitMix64(seed: 0)
        #expect((0..<4).map { _ in zero.next() } == [
            0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F, 0xF88B_B8A8_724C_81EC,
        ])
        var seven = SplitMix64(seed: 7)
        #expect((0..<4).map { _ in seven.next() } == [
            0x63CB_E1E4_5932_0DD7, 0x044C_3CD7_F43C_661C, 0xE698_4080_BAB1_2A02, 0x953A_EB70_673E_29CB,
        ])
    }

    @Test("xoshiro256** seeded by SplitMix64: known answers (seeds 0, 7, 0xDEADBEEF)")
    func xoshiroKnownAnswers() {
        let expected: [(UInt64, [UInt64])] = [
            (0, [0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0, 0x6AA5_94F1_262D_2D2C, 0xBBA5_AD4A_1F84_2E59]),
            (7, [0xB358_FAF7_4EF9_765A, 0x475C_3D96_4F48_2CD2, 0xD6F1_D349_952C_7996, 0xFB29_3873_1E80_7240, 0xFDA9_04EC_7E54_0318]),
            (0xDEAD_BEEF, [0xC555_5444_A74D_7E83, 0x65C3_0D37_B4B1_6E38, 0x54F7_7320_0A4E_FA23, 0x429A_ED75_FB95_8AF7, 0xFB0E_1DD6_9C25_5B2E]),
        ]
        for (seed, outputs) in expected {
            var generator = Xoshiro256StarStar(seed: seed)
            #expect((0..<5).map { _ in generator.next() } == outputs, "seed \(seed)")
        }
    }

    @Test("Bounded draws (Lemire multiply-and-reject) known answers")
    func boundedKnownAnswers() {
        var seven = Xoshiro256StarStar(seed: 7)
        #expect((0..<10).map { _ in seven.next(upTo: 9) } == [7, 2, 8, 9, 9, 8, 0, 1, 4, 1])
        var fortyTwo = Xoshiro256StarStar(seed: 42)
        #expect((0..<5).map { _ in fortyTwo.next(upTo: 1_000_000) } == [83_863, 378_980, 680_044, 924_693, 991_804])
        var full = Xoshiro256StarStar(seed: 7)
        #expect(full.next(upTo: .max) == 0xB358_FAF7_4EF9_765A)
    }

    @Test("FNV-1a 64 known answers")
    func fnvKnownAnswers() {
        #expect(FNV1a64.hash("") == 0xCBF2_9CE4_8422_2325)
        #expect(FNV1a64.hash("a") == 0xAF63_DC4C_8601_EC8C)
        #expect(FNV1a64.hash("foobar") == 0x8594_4171_F739_67E8)
        var words = FNV1a64()
        words.combine(UInt64(0x61))
        var bytes = FNV1a64()
        for byte: UInt8 in [0x61, 0, 0, 0, 0, 0, 0, 0] { bytes.combine(byte: byte) }
        #expect(words.value == bytes.value, "a word is folded as eight little-endian bytes")
    }

    @Test("Canonical chooser always takes the first / smallest outcome")
    func canonicalChooser() {
        let chooser = CanonicalChooser()
        let point = ChoicePoint(.latency, "test")
        #expect(chooser.choose(point, in: -5...5) == -5)
        #expect(chooser.chooseIndex(point, count: 9) == 0)
        #expect(chooser.chooseDuration(point, upTo: .milliseconds(3)) == .zero)
        #expect(chooser.chooseEvent(point, numerator: 1, denominator: 2) == false)
        #expect(chooser.choose(point, upTo: .max) == 0)
    }

    @Test("Seeded chooser stays in range and repeats for a seed")
    func seededChooser() {
        let point = ChoicePoint(.jitter, "test")
        let first = SeededChooser(seed: 11)
        let second = SeededChooser(seed: 11)
        for _ in 0..<1_000 {
            let value = first.choose(point, in: -3...17)
            #expect((-3...17).contains(value))
            #expect(second.choose(point, in: -3...17) == value)
        }
        #expect(first.choose(point, in: Int64.min...Int64.max) == second.choose(point, in: Int64.min...Int64.max))
    }

    @Test("Recording then replaying a decision list reproduces every decision")
    func recordAndReplay() {
        let recorder = RecordingChooser(wrapping: SeededChooser(seed: 5), keepsLog: true)
        let point = ChoicePoint(.chunkSplit, "pipe a->b")
        let original = (0..<50).map { index in recorder.choose(point, in: 0...Int64(index + 1)) }
        #expect(recorder.decisions.count == 50)
        #expect(recorder.log.count == 50)
        #expect(recorder.log.first?.point == point)

        let replayer = ReplayingChooser(decisions: recorder.decisions)
        let replayed = (0..<50).map { index in replayer.choose(point, in: 0...Int64(index + 1)) }
        #expect(replayed == original)
        #expect(replayer.isExhausted)
        #expect(replayer.fallbackCount == 0)
    }

    @Test("A range with one value is not a decision and is not recorded")
    func singleValueRangesAreFree() {
        let recorder = RecordingChooser(wrapping: SeededChooser(seed: 1))
        let point = ChoicePoint(.other, "test")
        #expect(recorder.choose(point, in: 4...4) == 4)
        #expect(recorder.chooseIndex(point, count: 1) == 0)
        #expect(recorder.decisions.isEmpty)
    }

    @Test("Replay clamps out-of-range offsets and falls back to canonical when the list runs out")
    func replayShrinkRules() {
        let replayer = ReplayingChooser(decisions: [100, 2])
        let point = ChoicePoint(.latency, "test")
        #expect(replayer.choose(point, in: 10...15) == 15)
        #expect(replayer.clampedCount == 1)
        #expect(replayer.choose(point, in: 10...15) == 12)
        #expect(replayer.choose(point, in: 10...15) == 10)
        #expect(replayer.fallbackCount == 1)
    }
}
