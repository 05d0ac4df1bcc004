import Fabric

/// A compare input's reader: QEMU's record reader (W-5) that lives as long as the compare, not
/// the connection (a record cut by a disconnect continues with the next connection's bytes,
/// W-9), and that is abandoned for good at the first framing error (W-10).
struct InputReader {
    var decoder: RecordDecoder
    /// A framing error ended reading; the chardev is never read again.
    var stopped = false

    init(input: String, vnetHeaderSupport: Bool) {
        decoder = RecordDecoder(vnetHeaderSupport: vnetHeaderSupport, profile: .qemu, input: input)
    }
}
