import Testing
@testable import Fabric

@Suite("Chardev framing")
struct RecordFramingTests {
    @Test(
        "W-1/W-5/W-6: any chunking of a random record stream decodes to the same frames",
        arguments: [false, true]
    )
    func anyChunkingDecodesTheSame(vnet: Bool) {
        var fixture = FramingFixture(seed: vnet ? 0xF00D : 0xBEEF)
        for _ in 0..<150 {
            let records = fixture.records()
            let stream = encode(records, vnet: vnet)
            var chunkings: [[[UInt8]]] = [
                [stream],
                split(stream, at: headerSplittingCuts(for: records, vnet: vnet)),
            ]
            for _ in 0..<4 {
                chunkings.append(fixture.randomChunks(stream))
            }
            if stream.count <= 8_000 {
                chunkings.append(stream.map { [$0] })
            }
            for profile in FramingProfile.allCases {
                let expected = expectedFrames(records, vnet: vnet, profile: profile)
                for chunks in chunkings {
                    let result = decodeAll(chunks, vnet: vnet, profile: profile)
                    #expect(result.error == nil)
                    let same = result.frames == expected
                    #expect(
                        same,
                        "profile \(profile), \(chunks.count) chunks: got \(summary(result.frames)), expected \(summary(expected))"
                    )
                }
            }
        }
    }

    @Test("W-1: record layout is BE32 L, BE32 V only with vnet support, then the payload")
    func recordLayout() throws {
        let payload: [UInt8] = [0xAA, 0xBB, 0xCC, 0xDD, 0xEE]
        let withV = try RecordEncoder(vnetHeaderSupport: true).record(payload: payload, vnetHeaderLength: 12)
        #expect(withV == [0, 0, 0, 5, 0, 0, 0, 12] + payload)
        let withoutV = try RecordEncoder(vnetHeaderSupport: false).record(payload: payload, vnetHeaderLength: 12)
        #expect(withoutV == [0, 0, 0, 5] + payload)
        let big = try RecordEncoder(vnetHeaderSupport: true).record(payload: [1], vnetHeaderLength: 0x0102_0304)
        #expect(big == [0, 0, 0, 1, 1, 2, 3, 4, 1])
    }

    @Test("W-3: mirror/redirector writers emit no record for an empty frame and write the netdev's V")
    func filterWriterSkipsEmptyFrames() throws {
        let encoder = RecordEncoder(vnetHeaderSupport: true)
        #expect(try encoder.filterRecord(payload: [], vnetHeaderLength: 10) == nil)
        #expect(try encoder.filterRecord(payload: [7], vnetHeaderLength: 10) == [0, 0, 0, 1, 0, 0, 0, 10, 7])
    }

    @Test("W-4: colo-compare refuses to send zero bytes, writes the packet's own V, and notify never carries V")
    func compareWriterRefusesEmpty() throws {
        let encoder = RecordEncoder(vnetHeaderSupport: true)
        #expect(throws: RecordEncodingError.emptySendRefused) {
            try encoder.compareRecord(Frame([], vnetHeaderLength: 12))
        }
        #expect(try encoder.compareRecord(Frame([9, 9], vnetHeaderLength: 12)) == [0, 0, 0, 2, 0, 0, 0, 12, 9, 9])
        let token = Array("DO_CHECKPOINT".utf8)
        let notify = try RecordEncoder.notify.compareRecord(Frame(token, vnetHeaderLength: 12))
        #expect(notify == [0, 0, 0, 13] + token)
    }

    @Test("W-5.3: a record of exactly 69 632 bytes is accepted, whole or in socket-sized chunks")
    func capacityIsInclusive() {
        let record = TestRecord(payload: (0..<69_632).map { UInt8(truncatingIfNeeded: $0) }, vnetHeaderLength: 0)
        let stream = encode([record], vnet: false)
        let whole = decodeAll([stream], vnet: false)
        #expect(whole.error == nil)
        #expect(whole.frames == [Frame(record.payload)])
        let cuts = Array(stride(from: 4_096, to: stream.count, by: 4_096))
        let chunked = decodeAll(split(stream, at: cuts), vnet: false)
        #expect(chunked.error == nil)
        #expect(chunked.frames == [Frame(record.payload)])
    }

    @Test("W-5.3/W-8: 69 633 bytes is an error; the reader resets, drops the rest of the chunk, and decodes the next chunk")
    func oversizedRecordInOneChunk() throws {
        let oversized = TestRecord(payload: [UInt8](repeating: 0x11, count: 69_633), vnetHeaderLength: 0)
        let follower = TestRecord(payload: [1, 2, 3], vnetHeaderLength: 0)
        let first = encode([follower, oversized, follower], vnet: false)
        var decoder = RecordDecoder(vnetHeaderSupport: false, input: "red0")
        let result = decoder.decode(first)
        #expect(result.frames == [Frame([1, 2, 3])])
        let error = try #require(result.error)
        #expect(error.input == "red0")
        #expect(error.declaredLength == 69_633)
        #expect(error.recordOffset == 7)
        #expect(error.overflowOffset == 11)
        #expect(error.collectedBytes == 0)
        #expect(error.discardedChunkBytes == first.count - 11)
        #expect(decoder.phase == .length)
        #expect(decoder.counters.framingErrors == 1)
        #expect(decoder.counters.bytesDiscarded == UInt64(first.count - 11))

        let next = decoder.decode(encode([follower], vnet: false))
        #expect(next.error == nil)
        #expect(next.frames == [Frame([1, 2, 3])])
    }

    @Test("W-5.3/W-8: an oversized record is caught only when enough of it arrives; collected bytes are discarded")
    func oversizedRecordAcrossChunks() throws {
        let oversized = TestRecord(payload: [UInt8](repeating: 0x22, count: 69_633), vnetHeaderLength: 0)
        let stream = encode([oversized], vnet: false)
        var decoder = RecordDecoder(vnetHeaderSupport: false)
        var error: FramingError?
        var fed = 0
        for start in stride(from: 0, to: stream.count, by: 4_096) {
            let chunk = Array(stream[start..<min(start + 4_096, stream.count)])
            fed += 1
            if let found = decoder.feed(chunk, { _ in Issue.record("no frame expected") }) {
                error = found
                break
            }
        }
        let found = try #require(error)
        // 17 chunks of 4 096 bytes hold the header and 69 628 payload bytes; the 18th would
        // take the total past the capacity, and is refused whole.
        #expect(fed == 18)
        #expect(found.overflowOffset == 69_632)
        #expect(found.collectedBytes == 69_628)
        #expect(found.discardedChunkBytes == 5)
        #expect(decoder.collectedCount == 0)
        #expect(decoder.phase == .length)
    }

    @Test("W-7 (quirk): a zero-length record is delivered only when at least one more byte is fed", arguments: [false, true])
    func zeroLengthRecordWaitsForInput(vnet: Bool) {
        var decoder = RecordDecoder(vnetHeaderSupport: vnet, profile: .qemu)
        let empty = encode([TestRecord(payload: [], vnetHeaderLength: 3)], vnet: vnet)
        #expect(decoder.decode(empty).frames.isEmpty)
        #expect(decoder.holdsDeferredZeroLengthRecord)
        #expect(decoder.decode([]).frames.isEmpty, "an empty chunk does not enter the loop")

        let next = encode([TestRecord(payload: [5], vnetHeaderLength: 3)], vnet: vnet)
        let first = decoder.decode(Array(next.prefix(1)))
        #expect(first.frames == [Frame([], vnetHeaderLength: vnet ? 3 : 0)])
        #expect(!decoder.holdsDeferredZeroLengthRecord)
        #expect(decoder.decode(Array(next.dropFirst())).frames == [Frame([5], vnetHeaderLength: vnet ? 3 : 0)])
    }

    @Test("W-7 corrected profile: a zero-length record is delivered as soon as its header is complete")
    func correctedProfileDeliversImmediately() {
        var decoder = RecordDecoder(vnetHeaderSupport: true, profile: .corrected)
        let empty = encode([TestRecord(payload: [], vnetHeaderLength: 3)], vnet: true)
        #expect(decoder.decode(empty).frames == [Frame([], vnetHeaderLength: 3)])
        #expect(!decoder.holdsDeferredZeroLengthRecord)
    }

    @Test("W-9: the reader keeps a half-read record; the next bytes continue it whatever they are")
    func readerStateSurvivesAcrossInputs() {
        var decoder = RecordDecoder(vnetHeaderSupport: false)
        let old = encode([TestRecord(payload: [UInt8](repeating: 0xAA, count: 10), vnetHeaderLength: 0)], vnet: false)
        #expect(decoder.decode(Array(old.prefix(8))).frames.isEmpty)
        #expect(decoder.collectedCount == 4)
        // A fresh connection's first record is swallowed as the old record's tail.
        let fresh = encode([TestRecord(payload: [1, 2, 3, 4], vnetHeaderLength: 0)], vnet: false)
        let result = decoder.decode(fresh)
        #expect(result.frames == [Frame([0xAA, 0xAA, 0xAA, 0xAA, 0, 0, 0, 4, 1, 2])])
        #expect(decoder.phase == .length)
        #expect(decoder.collectedCount == 0)
    }

    @Test("W-12: writer adds V, reader expects none: records desynchronise and end in a capacity error")
    func vnetWriterPlainReader() {
        let records = (0..<3_000).map { _ in TestRecord(payload: [UInt8](repeating: 0xAB, count: 64), vnetHeaderLength: 12) }
        let stream = encode(records, vnet: true)
        let cuts = Array(stride(from: 4_096, to: stream.count, by: 4_096))
        let result = decodeAll(split(stream, at: cuts), vnet: false)
        #expect(result.error != nil)
        #expect(result.frames.first != Frame(records[0].payload))
        #expect(result.error?.declaredLength == 0xABAB_ABAB)
    }

    @Test("W-12: writer omits V, reader expects it: records desynchronise and end in a capacity error")
    func plainWriterVnetReader() {
        let records = (0..<3_000).map { _ in TestRecord(payload: [UInt8](repeating: 0xAB, count: 64), vnetHeaderLength: 0) }
        let stream = encode(records, vnet: false)
        let cuts = Array(stride(from: 4_096, to: stream.count, by: 4_096))
        let result = decodeAll(split(stream, at: cuts), vnet: true)
        #expect(result.error != nil)
        #expect(result.frames.count <= 1)
        if let first = result.frames.first {
            #expect(first.vnetHeaderLength == 0xABAB_ABAB, "V was read from payload bytes")
            #expect(first != Frame(records[0].payload))
        }
    }

    @Test("W-8: V is never validated by the reader")
    func anyVIsAccepted() {
        let records = [TestRecord(payload: [1], vnetHeaderLength: .max)]
        let result = decodeAll([encode(records, vnet: true)], vnet: true)
        #expect(result.frames == [Frame([1], vnetHeaderLength: .max)])
    }

    @Test("Decoder counters account for every byte fed")
    func countersBalance() {
        var fixture = FramingFixture(seed: 99)
        let records = fixture.records(maxCount: 30)
        let stream = encode(records, vnet: true)
        var decoder = RecordDecoder(vnetHeaderSupport: true, profile: .corrected)
        for chunk in fixture.randomChunks(stream) {
            _ = decoder.feed(chunk) { _ in }
        }
        #expect(decoder.counters.bytesFed == UInt64(stream.count))
        #expect(decoder.counters.framesDelivered == UInt64(records.count))
        #expect(decoder.counters.payloadBytesDelivered + UInt64(8 * records.count) == UInt64(stream.count))
    }
}
