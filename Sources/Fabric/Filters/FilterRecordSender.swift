/// The record-writing step mirror and redirector share (QEMU's filter_send, W-3): nothing for
/// an empty frame, else one record whose V is the netdev's current vnet header length.
enum FilterRecordSender {
    enum Result {
        case nothingToSend
        case sent(bytes: Int)
        case failed(errno: Int32)
        /// The write waits for room in the socket (M-4): the walk waits with it.
        case blocked
    }

    static func send(_ frame: Frame, to port: any ChardevPort, netdev: NetClient, vnetHeaderSupport: Bool) -> Result {
        guard !frame.isEmpty else { return .nothingToSend }
        return result(port.writeRecord(frame, vnetHeaderLength: netdev.vnetHeaderLength, includeVnetField: vnetHeaderSupport), bytes: frame.count)
    }

    /// What a chardev's answer (at once, or when a blocked write ends) means for the send.
    static func result(_ write: ChardevWriteResult, bytes: Int) -> Result {
        switch write {
        case .written: .sent(bytes: bytes)
        // A failure must stay non-zero: QEMU turns a short write without errno into EIO.
        case .failed(let code): .failed(errno: code > 0 ? code : eio)
        case .blocked: .blocked
        }
    }

    static let eio: Int32 = 5

    /// What a filter's send returns when the chardev refused the record. A socket backend
    /// fails with -1 and sets errno; qemu_chr_fe_write_all hands that -1 back, and filter_send
    /// passes a negative value through unchanged (it substitutes -EIO only for a short,
    /// non-negative count). So the redirector returns -1 whatever the errno, and QEMU's log line
    /// prints strerror(1): "filter redirector send failed(Operation not permitted)".
    static let failedWriteReturnValue = -1

    static func output(_ result: Result, port: any ChardevPort) -> FilterOutput {
        let destination = port.outputDestination
        switch result {
        case .nothingToSend: return FilterOutput(destination: destination, result: .written(bytes: 0))
        case .sent(let bytes): return FilterOutput(destination: destination, result: .written(bytes: bytes))
        case .failed(let code): return FilterOutput(destination: destination, result: .failed(code: code, reason: CLibrary.errorText(code)))
        case .blocked: return FilterOutput(destination: destination, result: .held)
        }
    }
}
