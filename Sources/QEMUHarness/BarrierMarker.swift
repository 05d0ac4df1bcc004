import Fabric

/// The barrier frame the harness interleaves with test input.
///
/// 14-byte Ethernet header (broadcast destination, locally administered source "LKSTP",
/// EtherType 0x88B5 = IEEE local experimental) plus a BE32 sequence number. Not IPv4, so
/// colo-compare forwards it from primary_in at once (C-3) and the rewriter lets it pass
/// untouched (RW-2): when it comes out, everything sent before it on that path has been handled.
struct BarrierMarker {
    static let header: [UInt8] = [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0x02, 0x4c, 0x4b, 0x53, 0x54, 0x50,
        0x88, 0xb5,
    ]
    private(set) var issued: UInt32 = 0

    mutating func next() -> Frame {
        issued &+= 1
        var bytes = Self.header
        bytes.appendBE32(issued)
        return Frame(bytes)
    }

    static func isMarker(_ frame: Frame) -> Bool {
        frame.count == header.count + 4 && frame.bytes.starts(with: header)
    }

    /// Test input must not be mistaken for a barrier.
    static func checkNotReserved(_ frame: Frame, input: String) throws(OracleError) {
        if isMarker(frame) { throw .reservedFrame(input: input) }
    }
}
