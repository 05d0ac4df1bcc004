/// A FIFO of bytes: the send and receive buffers. A ring over a power-of-two array, so removing
/// acknowledged or read bytes never moves the rest; storage grows (and is linearised) only when
/// full.
struct ByteQueue: Sendable {
    private(set) var storage: [UInt8] = []
    private(set) var head = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }
    private var mask: Int { storage.count - 1 }

    private mutating func reserve(_ extra: Int) {
        guard count + extra > storage.count else { return }
        var capacity = max(storage.count, 4_096)
        while capacity < count + extra { capacity *= 2 }
        var fresh = [UInt8](repeating: 0, count: capacity)
        fresh.withUnsafeMutableBytes { destination in
            withBytes(offset: 0, length: count) { first, second in
                if !first.isEmpty { destination.baseAddress!.copyMemory(from: first.baseAddress!, byteCount: first.count) }
                if !second.isEmpty {
                    (destination.baseAddress! + first.count).copyMemory(from: second.baseAddress!, byteCount: second.count)
                }
            }
        }
        storage = fresh
        head = 0
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        reserve(bytes.count)
        let tail = (head + count) & mask
        let first = min(bytes.count, storage.count - tail)
        storage.withUnsafeMutableBytes { destination in
            (destination.baseAddress! + tail).copyMemory(from: bytes.baseAddress!, byteCount: first)
            if first < bytes.count {
                destination.baseAddress!.copyMemory(from: bytes.baseAddress! + first, byteCount: bytes.count - first)
            }
        }
        count += bytes.count
    }

    mutating func append(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { append($0) }
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    mutating func removeFirst(_ n: Int) {
        let removed = min(max(n, 0), count)
        guard removed > 0 else { return }
        count -= removed
        head = count == 0 ? 0 : (head + removed) & mask
    }

    /// Copies up to `max` bytes from the front and removes them.
    mutating func read(max: Int) -> [UInt8] {
        let n = min(max, count)
        guard n > 0 else { return [] }
        var result: [UInt8] = []
        result.reserveCapacity(n)
        withBytes(offset: 0, length: n) { first, second in
            result.append(contentsOf: first)
            result.append(contentsOf: second)
        }
        removeFirst(n)
        return result
    }

    /// Calls `body` with the bytes at `offset..<offset+length` from the front, as at most two
    /// contiguous pieces (the second is empty unless the range wraps).
    func withBytes<R>(offset: Int, length: Int, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> R) -> R {
        storage.withUnsafeBytes { raw in
            guard length > 0 else { return body(UnsafeRawBufferPointer(start: nil, count: 0), UnsafeRawBufferPointer(start: nil, count: 0)) }
            let start = (head + offset) & mask
            let first = min(length, raw.count - start)
            return body(UnsafeRawBufferPointer(rebasing: raw[start..<start + first]),
                        UnsafeRawBufferPointer(rebasing: raw[0..<length - first]))
        }
    }

    /// The bytes at `offset..<offset+length` from the front, copied.
    func bytes(offset: Int, length: Int) -> [UInt8] {
        withBytes(offset: offset, length: length) { Array($0) + Array($1) }
    }
}

extension ByteQueue: Hashable {
    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.count == rhs.count && lhs.bytes(offset: 0, length: lhs.count) == rhs.bytes(offset: 0, length: rhs.count)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(count)
    }
}
