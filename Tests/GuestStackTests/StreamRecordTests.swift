import Testing
@testable import Fabric
@testable import GuestStack

@Suite("StreamRecord hashing")
struct StreamRecordTests {
    private static let stream = PayloadPattern.bytes(at: 100, count: 1_000)

    private func record(_ bytes: [UInt8], cutAt cuts: [Int]) -> StreamRecord {
        var record = StreamRecord(mode: .hash)
        var start = 0
        for end in cuts + [bytes.count] {
            record.append(Array(bytes[start..<end]))
            start = end
        }
        return record
    }

    @Test("the hash does not depend on how the stream is cut into appends", arguments: [1, 3, 7, 8, 9, 13, 31, 33, 64])
    func chunkingDoesNotMatter(step: Int) {
        let whole = record(Self.stream, cutAt: [])
        let cut = record(Self.stream, cutAt: Array(stride(from: step, to: Self.stream.count, by: step)))
        #expect(cut == whole)
        #expect(cut.hash == whole.hash)
        #expect(cut.matches(whole))
    }

    @Test("a byte changed, two bytes swapped, or a byte missing at the end changes the hash")
    func differencesShow() {
        let whole = record(Self.stream, cutAt: [])
        var changed = Self.stream
        changed[517] ^= 1
        var swapped = Self.stream
        swapped.swapAt(10, 11)
        #expect(!record(changed, cutAt: []).matches(whole))
        #expect(!record(swapped, cutAt: []).matches(whole))
        let shorter = record(Array(Self.stream.dropLast()), cutAt: [])
        var padded = shorter
        padded.append([0])
        #expect(padded.count == whole.count)
        #expect(padded.hash != whole.hash || Self.stream.last == 0)
        #expect(shorter.hash != record(Array(Self.stream.dropLast(2)), cutAt: []).hash)
    }

    @Test("count mode records only the count")
    func countMode() {
        var record = StreamRecord(mode: .count)
        record.append(Self.stream)
        #expect(record.count == Self.stream.count)
        #expect(record.matches(self.record(Self.stream, cutAt: [3])))
    }
}
