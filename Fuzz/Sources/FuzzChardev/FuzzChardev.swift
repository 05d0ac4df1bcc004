import Fabric
import FuzzSupport

/// The chardev record reader (W-5 … W-9) under arbitrary chunking. Byte 0 picks the reader:
/// bit 0 vnet-header support, bit 1 the corrected W-7 profile, bits 2–3 the buffer capacity
/// (QEMU's, or 64, 512, 4096 bytes so that overflows are reached); bytes 1–2 seed the chunk
/// lengths, byte 3 bounds them; the rest is the byte stream. The stream is decoded whole and in
/// chunks, and both must deliver the same frames up to the first framing error, which must be
/// the same record ("any chunking decodes to the same records"; after an error a reader skips
/// the rest of its chunk, so what follows depends on the chunking by design).
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    FuzzProcess.initialize(argv)
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzChardev(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = fuzzInputBytes(data, size)
    guard input.count >= 4 else { return 0 }
    let control = input[0]
    let capacities = [ChardevConstants.netBufferSize, 64, 512, 4096]
    let makeDecoder = {
        RecordDecoder(
            vnetHeaderSupport: control & 1 == 1, profile: control & 2 == 0 ? .qemu : .corrected,
            capacity: capacities[Int(control >> 2) & 3], input: "fuzz")
    }
    var chunkLengths = SplitMix64(seed: UInt64(input[1]) << 8 | UInt64(input[2]))
    let longestChunk = UInt64(input[3]) + 1
    let stream = Array(input.dropFirst(4))

    var whole = makeDecoder()
    var wholeFrames: [Frame] = []
    let wholeError = whole.feed(stream) { wholeFrames.append($0) }

    var chunked = makeDecoder()
    var chunkedFrames: [Frame] = []
    var chunkedError: FramingError?
    var offset = 0
    while offset < stream.count, chunkedError == nil {
        let end = min(stream.count, offset + Int(chunkLengths.next() % longestChunk) + 1)
        chunkedError = chunked.feed(stream[offset..<end]) { chunkedFrames.append($0) }
        offset = end
    }

    fuzzCheck(chunkedFrames == wholeFrames, "chunked decoding delivered \(chunkedFrames.count) frame(s), whole \(wholeFrames.count), or different ones")
    fuzzCheck(chunkedError?.recordOffset == wholeError?.recordOffset && chunkedError?.declaredLength == wholeError?.declaredLength,
              "framing error differs: chunked \(String(describing: chunkedError)), whole \(String(describing: wholeError))")
    fuzzCheck(whole.counters.framesDelivered == UInt64(wholeFrames.count), "delivered frames not counted")
    return 0
}
