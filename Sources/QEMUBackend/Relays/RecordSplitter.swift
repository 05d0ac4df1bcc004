import Fabric

/// Cuts a chardev byte stream into whole records (`BE32 L [BE32 V] L bytes`, W-1) as its writer
/// framed them, so a relay can log each frame and damage exactly one record on demand. It
/// never holds bytes back from the stream; it only tells where records start and end.
struct RecordSplitter {
    let withVnetField: Bool
    private var header: [UInt8] = []
    private var body: [UInt8] = []
    private var remaining = 0
    private var inBody = false
    /// Stream offset where the record being collected starts.
    private(set) var recordStart: UInt64 = 0
    private(set) var offset: UInt64 = 0

    init(withVnetField: Bool) {
        self.withVnetField = withVnetField
    }

    var headerSize: Int { withVnetField ? 8 : 4 }
    /// True between records (the next byte is the first of a length field).
    var isAtBoundary: Bool { !inBody && header.isEmpty }

    /// Feeds bytes; every record completed by them goes to `record` with its whole bytes (header
    /// included) and the frame it carries.
    mutating func feed<C: Collection>(_ bytes: C, _ record: (_ raw: [UInt8], _ frame: Frame) -> Void) where C.Element == UInt8 {
        for byte in bytes {
            offset += 1
            if !inBody {
                header.append(byte)
                guard header.count == headerSize else { continue }
                remaining = Int(Self.be32(header, at: 0))
                inBody = true
                body.removeAll(keepingCapacity: true)
                if remaining == 0 { finish(record) }
                continue
            }
            body.append(byte)
            remaining -= 1
            if remaining == 0 { finish(record) }
        }
    }

    private mutating func finish(_ record: (_ raw: [UInt8], _ frame: Frame) -> Void) {
        let vnet = withVnetField ? Self.be32(header, at: 4) : 0
        record(header + body, Frame(body, vnetHeaderLength: vnet))
        header.removeAll(keepingCapacity: true)
        inBody = false
        recordStart = offset
    }

    static func be32(_ bytes: [UInt8], at index: Int) -> UInt32 {
        UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16 | UInt32(bytes[index + 2]) << 8 | UInt32(bytes[index + 3])
    }
}
