/// A record a writer is blocked on (`WriterBlocking.qemu`): it waits for room in the socket,
/// and whoever waits on the write hears how it ended.
final class BlockedChardevWrite {
    let record: [UInt8]
    private var handler: ((ChardevWriteResult) -> Void)?
    private var result: ChardevWriteResult?

    init(record: [UInt8]) {
        self.record = record
    }

    /// The waiter; told at once if the write already ended.
    func whenFinished(_ handler: @escaping (ChardevWriteResult) -> Void) {
        if let result {
            handler(result)
        } else {
            self.handler = handler
        }
    }

    func finish(_ result: ChardevWriteResult) {
        self.result = result
        let handler = self.handler
        self.handler = nil
        handler?(result)
    }
}
