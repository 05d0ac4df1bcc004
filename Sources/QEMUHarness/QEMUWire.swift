import Fabric

/// Minimal chardev record framing (spec W-1): BE32 length, optional BE32 V, payload.
///
/// Deliberately tiny and self-contained so it can be swapped for Fabric's
/// `RecordEncoder`/`RecordDecoder` at merge time; nothing else in the harness touches bytes
/// on the wire.
enum QEMUWire {
    /// QEMU's reader capacity (NET_BUFSIZE, W-5); a longer record can only be a desync.
    static let readerCapacity = 69_632

    static func record(_ frame: Frame, withVnetField: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(frame.count + 8)
        appendBE32(UInt32(frame.count), to: &out)
        if withVnetField { appendBE32(frame.vnetHeaderLength, to: &out) }
        out.append(contentsOf: frame.bytes)
        return out
    }

    static func appendBE32(_ value: UInt32, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: value >> 24))
        out.append(UInt8(truncatingIfNeeded: value >> 16))
        out.append(UInt8(truncatingIfNeeded: value >> 8))
        out.append(UInt8(truncatingIfNeeded: value))
    }

    /// Streaming reader for records QEMU writes; tolerates arbitrary chunking.
    struct Reader {
        let withVnetField: Bool
        private var pending: [UInt8] = []
        private var start = 0

        init(withVnetField: Bool) { self.withVnetField = withVnetField }

        var hasPartialRecord: Bool { start < pending.count }

        mutating func feed(_ chunk: [UInt8]) {
            if start > 0 && start == pending.count {
                pending.removeAll(keepingCapacity: true)
                start = 0
            }
            pending.append(contentsOf: chunk)
        }

        /// The next complete record, nil if more bytes are needed; throws on an impossible length.
        mutating func next() throws(WireError) -> Frame? {
            let headerSize = withVnetField ? 8 : 4
            guard pending.count - start >= headerSize else { return nil }
            let length = Int(be32(at: start))
            guard length <= QEMUWire.readerCapacity else {
                throw WireError(detail: "record length \(length) exceeds \(QEMUWire.readerCapacity)")
            }
            let vnet = withVnetField ? be32(at: start + 4) : 0
            let payloadStart = start + headerSize
            guard pending.count - payloadStart >= length else { return nil }
            let frame = Frame(Array(pending[payloadStart..<payloadStart + length]), vnetHeaderLength: vnet)
            start = payloadStart + length
            if start > 65_536 {
                pending.removeFirst(start)
                start = 0
            }
            return frame
        }

        private func be32(at index: Int) -> UInt32 {
            UInt32(pending[index]) << 24 | UInt32(pending[index + 1]) << 16
                | UInt32(pending[index + 2]) << 8 | UInt32(pending[index + 3])
        }
    }

    struct WireError: Error {
        let detail: String
    }
}
