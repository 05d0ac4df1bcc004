/// Writes chardev records (W-1): BE32 length L, then BE32 V only when the link has vnet header
/// support, then the L payload bytes.
///
/// Which entry point a writer uses decides what happens to an empty frame:
/// - filter-mirror and filter-redirector use ``filterRecord(payload:vnetHeaderLength:)``: an empty
///   frame produces no record at all (W-3), signalled by `nil`. They pass the *netdev's current*
///   V, not a value taken from the frame.
/// - colo-compare uses ``compareRecord(_:)``: an empty frame is refused with
///   ``RecordEncodingError/emptySendRefused`` (W-4), and V is the one that came with the packet's
///   input record. For `notify_dev` messages it uses ``notify``, which never writes V.
/// - ``appendRecord(payload:vnetHeaderLength:to:)`` writes any length, zero included: no QEMU
///   writer emits an L = 0 record, but readers must cope with one (W-7), so tests need to make it.
public struct RecordEncoder: Sendable, Hashable {
    public var vnetHeaderSupport: Bool

    public init(vnetHeaderSupport: Bool) {
        self.vnetHeaderSupport = vnetHeaderSupport
    }

    /// colo-compare's `notify_dev` writer: never a V field, whatever `vnet_hdr_support` says (W-4).
    public static let notify = RecordEncoder(vnetHeaderSupport: false)

    /// Bytes before the payload: 4, or 8 with vnet support.
    public var headerSize: Int {
        vnetHeaderSupport ? 2 * ChardevConstants.headerFieldSize : ChardevConstants.headerFieldSize
    }

    /// Appends one record to `buffer` with bulk copies. Writes nothing if it throws.
    public func appendRecord(
        payload: UnsafeRawBufferPointer,
        vnetHeaderLength: UInt32,
        to buffer: inout [UInt8]
    ) throws(RecordEncodingError) {
        guard let length = UInt32(exactly: payload.count) else {
            throw .payloadTooLarge(length: payload.count)
        }
        appendChecked(payload: payload, length: length, vnetHeaderLength: vnetHeaderLength, to: &buffer)
    }

    public func appendRecord(payload: [UInt8], vnetHeaderLength: UInt32, to buffer: inout [UInt8]) throws(RecordEncodingError) {
        guard let length = UInt32(exactly: payload.count) else {
            throw .payloadTooLarge(length: payload.count)
        }
        payload.withUnsafeBytes { bytes in
            appendChecked(payload: bytes, length: length, vnetHeaderLength: vnetHeaderLength, to: &buffer)
        }
    }

    private func appendChecked(
        payload: UnsafeRawBufferPointer,
        length: UInt32,
        vnetHeaderLength: UInt32,
        to buffer: inout [UInt8]
    ) {
        if vnetHeaderSupport {
            let header = (UInt64(length) << 32 | UInt64(vnetHeaderLength)).bigEndian
            withUnsafeBytes(of: header) { buffer.append(contentsOf: $0) }
        } else {
            withUnsafeBytes(of: length.bigEndian) { buffer.append(contentsOf: $0) }
        }
        buffer.append(contentsOf: payload)
    }

    /// One record of any length, zero included (see the type's note).
    public func record(payload: [UInt8], vnetHeaderLength: UInt32) throws(RecordEncodingError) -> [UInt8] {
        var buffer: [UInt8] = []
        try appendRecord(payload: payload, vnetHeaderLength: vnetHeaderLength, to: &buffer)
        return buffer
    }

    /// filter-mirror / filter-redirector (W-3): `nil` for an empty payload, which writes nothing.
    /// `vnetHeaderLength` is the netdev's current V.
    public func filterRecord(payload: [UInt8], vnetHeaderLength: UInt32) throws(RecordEncodingError) -> [UInt8]? {
        guard !payload.isEmpty else { return nil }
        return try record(payload: payload, vnetHeaderLength: vnetHeaderLength)
    }

    /// colo-compare (W-4): refuses an empty frame; V is the frame's own.
    public func compareRecord(_ frame: Frame) throws(RecordEncodingError) -> [UInt8] {
        guard !frame.bytes.isEmpty else { throw .emptySendRefused }
        return try record(payload: frame.bytes, vnetHeaderLength: frame.vnetHeaderLength)
    }
}
