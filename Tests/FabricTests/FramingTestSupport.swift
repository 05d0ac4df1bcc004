@testable import Fabric

/// A record as a test writes it: payload and the V that goes with it.
struct TestRecord: Equatable {
    var payload: [UInt8]
    var vnetHeaderLength: UInt32
}

/// Seeded random record streams and chunkings for the framing property tests.
struct FramingFixture {
    var generator: Xoshiro256StarStar

    init(seed: UInt64) {
        generator = Xoshiro256StarStar(seed: seed)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(generator.next(upTo: UInt64(range.upperBound - range.lowerBound)))
    }

    /// Mostly small records, some empty, a few large, rarely exactly at the reader's capacity.
    mutating func records(maxCount: Int = 12) -> [TestRecord] {
        (0..<int(0...maxCount)).map { _ in
            let length: Int
            switch int(0...39) {
            case 0...3: length = 0
            case 4: length = ChardevConstants.netBufferSize
            case 5...7: length = int(1...20_000)
            default: length = int(1...1_600)
            }
            let payload = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            return TestRecord(payload: payload, vnetHeaderLength: UInt32(truncatingIfNeeded: generator.next()))
        }
    }

    /// Random cut points: between 0 and 40 of them anywhere in the stream.
    mutating func randomChunks(_ stream: [UInt8]) -> [[UInt8]] {
        guard stream.count > 1 else { return [stream] }
        var cuts = Set<Int>()
        for _ in 0..<int(0...40) {
            cuts.insert(int(1...(stream.count - 1)))
        }
        return split(stream, at: cuts.sorted())
    }
}

func encode(_ records: [TestRecord], vnet: Bool) -> [UInt8] {
    let encoder = RecordEncoder(vnetHeaderSupport: vnet)
    var stream: [UInt8] = []
    for record in records {
        try? encoder.appendRecord(payload: record.payload, vnetHeaderLength: record.vnetHeaderLength, to: &stream)
    }
    return stream
}

func split(_ stream: [UInt8], at cuts: [Int]) -> [[UInt8]] {
    var chunks: [[UInt8]] = []
    var start = 0
    for cut in cuts where cut > start && cut < stream.count {
        chunks.append(Array(stream[start..<cut]))
        start = cut
    }
    chunks.append(Array(stream[start...]))
    return chunks
}

/// Cuts one, two and three bytes into every header field, so each field is split every way.
func headerSplittingCuts(for records: [TestRecord], vnet: Bool) -> [Int] {
    var cuts: [Int] = []
    var offset = 0
    let fields = vnet ? 2 : 1
    for record in records {
        for field in 0..<fields {
            let base = offset + 4 * field
            cuts.append(base + 1 + (record.payload.count + field) % 3)
        }
        offset += 4 * fields + record.payload.count
    }
    return cuts
}

/// Feeds chunks in order and collects frames; stops at the first framing error.
func decodeAll(_ chunks: [[UInt8]], vnet: Bool, profile: FramingProfile = .qemu) -> (frames: [Frame], error: FramingError?) {
    var decoder = RecordDecoder(vnetHeaderSupport: vnet, profile: profile)
    var frames: [Frame] = []
    for chunk in chunks {
        if let error = decoder.feed(chunk, { frames.append($0) }) {
            return (frames, error)
        }
    }
    return (frames, nil)
}

/// What a reader must deliver for `records`: V only with vnet support, and under QEMU's
/// profile a trailing zero-length record stays pending because no byte follows it (W-7).
func expectedFrames(_ records: [TestRecord], vnet: Bool, profile: FramingProfile) -> [Frame] {
    var frames = records.map { Frame($0.payload, vnetHeaderLength: vnet ? $0.vnetHeaderLength : 0) }
    if profile.defersZeroLengthRecords, let last = frames.last, last.isEmpty {
        frames.removeLast()
    }
    return frames
}

/// Frame lengths and Vs, short enough for a failure message.
func summary(_ frames: [Frame]) -> String {
    let shown = frames.prefix(8).map { "\($0.count)B/V\($0.vnetHeaderLength)" }
    return "\(frames.count) frames [\(shown.joined(separator: ", "))\(frames.count > 8 ? ", ..." : "")]"
}
