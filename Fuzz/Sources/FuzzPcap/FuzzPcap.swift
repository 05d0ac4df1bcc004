import Fabric
import FuzzSupport

/// The capture reader `lockstep compare` and `lockstep rewrite` read their pcaps with, over
/// arbitrary bytes: libpcap through a memory stream, every record to the end or the first error.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    FuzzProcess.initialize(argv)
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPcap(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let reader = try? PcapReader(bytes: fuzzInputBytes(data, size), name: "fuzz input") else { return 0 }
    defer { reader.close() }
    var previousOffset: Int64 = -1
    while let record = try? reader.next() {
        fuzzCheck(record.offset > previousOffset, "record \(record.index) at offset \(record.offset), not after \(previousOffset)")
        fuzzCheck(record.capturedBytes.count <= size, "record \(record.index) holds \(record.capturedBytes.count) bytes of a \(size)-byte input")
        previousOffset = record.offset
        _ = record.timestamp.nanoseconds
    }
    return 0
}
