import Testing
@testable import Fabric

/// The `split-length-field` mutant (issue 8) breaks W-5/W-6 only where it says: a header field
/// read across two chunks. Everything else about the reader is untouched, and the correct
/// reader decodes the same chunkings right.
@Suite("Split length field mutant")
struct SplitLengthFieldMutantTests {
    private static let payload: [UInt8] = Array(0..<200).map { UInt8($0) }

    private func decode(_ chunks: [[UInt8]], vnet: Bool, mutant: EngineMutant?) -> (frames: [Frame], error: FramingError?) {
        var decoder = RecordDecoder(vnetHeaderSupport: vnet, input: "red0", mutant: mutant)
        var frames: [Frame] = []
        var error: FramingError?
        for chunk in chunks {
            let result = decoder.decode(chunk)
            frames += result.frames
            error = error ?? result.error
        }
        return (frames, error)
    }

    private func stream(vnet: Bool) throws -> [UInt8] {
        let encoder = RecordEncoder(vnetHeaderSupport: vnet)
        return try encoder.record(payload: Self.payload, vnetHeaderLength: 10)
            + encoder.record(payload: [0xAB], vnetHeaderLength: 10)
    }

    @Test("W-6: with every header field whole in one chunk, the mutant reader decodes like the correct one",
          arguments: [false, true])
    func wholeFieldsDecodeRight(vnet: Bool) throws {
        let bytes = try stream(vnet: vnet)
        let header = vnet ? 8 : 4
        // One chunk; then a cut inside the first payload; then a cut right after each header.
        for chunks in [[bytes], [Array(bytes[..<50]), Array(bytes[50...])],
                       [Array(bytes[..<header]), Array(bytes[header...])]] {
            let mutated = decode(chunks, vnet: vnet, mutant: .splitLengthField)
            #expect(mutated.error == nil)
            #expect(mutated.frames.map(\.bytes) == [Self.payload, [0xAB]])
            #expect(mutated.frames.allSatisfy { $0.vnetHeaderLength == (vnet ? 10 : 0) })
        }
    }

    @Test("W-5: a length field split across two reads is misread by the mutant, never by the correct reader",
          arguments: [1, 2, 3])
    func splitLengthFieldIsMisread(cut: Int) throws {
        let bytes = try stream(vnet: false)
        let chunks = [Array(bytes[..<cut]), Array(bytes[cut...])]
        let correct = decode(chunks, vnet: false, mutant: nil)
        #expect(correct.error == nil)
        #expect(correct.frames.map(\.bytes) == [Self.payload, [0xAB]])
        // L = 200 (00 00 00 C8) read least significant byte first is 0xC8000000: far above the
        // reader's capacity, so the record swallows the rest of the stream and no frame comes out.
        var decoder = RecordDecoder(vnetHeaderSupport: false, mutant: .splitLengthField)
        var frames: [Frame] = []
        for chunk in chunks { frames += decoder.decode(chunk).frames }
        #expect(frames.isEmpty)
        #expect(decoder.phase == .data)
        #expect(decoder.collectedCount == bytes.count - 4)
    }

    @Test("W-5: a split V field is misread by the mutant; the frame keeps its bytes but carries a wrong V")
    func splitVnetFieldIsMisread() throws {
        let bytes = try stream(vnet: true)
        let chunks = [Array(bytes[..<6]), Array(bytes[6...])]
        #expect(decode(chunks, vnet: true, mutant: nil).frames.map(\.vnetHeaderLength) == [10, 10])
        let mutated = decode(chunks, vnet: true, mutant: .splitLengthField)
        #expect(mutated.frames.map(\.bytes) == [Self.payload, [0xAB]])
        #expect(mutated.frames.map(\.vnetHeaderLength) == [0x0A00_0000, 10])
    }

    @Test("W-5.3: once the misread length has swallowed more than the capacity, the mutant reports a framing error")
    func misreadLengthEndsInFramingError() throws {
        let encoder = RecordEncoder(vnetHeaderSupport: false)
        let big = [UInt8](repeating: 0x55, count: 40_000)
        let bytes = try encoder.record(payload: Self.payload, vnetHeaderLength: 0)
            + encoder.record(payload: big, vnetHeaderLength: 0) + encoder.record(payload: big, vnetHeaderLength: 0)
        let chunks = [Array(bytes[..<2]), Array(bytes[2...])]
        #expect(decode(chunks, vnet: false, mutant: nil).frames.count == 3)
        let mutated = decode(chunks, vnet: false, mutant: .splitLengthField)
        #expect(mutated.frames.isEmpty)
        let error = try #require(mutated.error)
        #expect(error.declaredLength == 0xC800_0000)
        #expect(error.input == "red0")
    }
}
