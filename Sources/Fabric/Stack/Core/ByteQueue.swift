/// A FIFO of bytes with cheap removal from the front: the send and receive buffers.
///
/// Removal advances `head`; storage is compacted only when the dead prefix is large, so a bulk
/// transfer moves each byte a bounded number of times.
struct ByteQueue: Sendable, Hashable {
    private(set) var storage: [UInt8] = []
    private(set) var head = 0

    var count: Int { storage.count - head }
    var isEmpty: Bool { storage.count == head }

    mutating func append(_ bytes: ArraySlice<UInt8>) {
        storage.append(contentsOf: bytes)
    }

    mutating func append(_ bytes: [UInt8]) {
        storage.append(contentsOf: bytes)
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        storage.append(contentsOf: bytes)
    }

    mutating func removeFirst(_ n: Int) {
        guard n > 0 else { return }
        head += Swift.min(n, count)
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 32_768 && head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
    }

    /// Copies up to `max` bytes from the front and removes them.
    mutating func read(max: Int) -> [UInt8] {
        let n = Swift.min(max, count)
        guard n > 0 else { return [] }
        let result = Array(storage[head..<head + n])
        removeFirst(n)
        return result
    }

    /// Calls `body` with the bytes at `offset..<offset+length` from the front.
    func withBytes<R>(offset: Int, length: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        storage.withUnsafeBytes { raw in
            body(UnsafeRawBufferPointer(rebasing: raw[head + offset..<head + offset + length]))
        }
    }

    /// The bytes at `offset..<offset+length` from the front, copied.
    func bytes(offset: Int, length: Int) -> [UInt8] {
        Array(storage[head + offset..<head + offset + length])
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.storage[lhs.head...] == rhs.storage[rhs.head...]
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(count)
    }
}
