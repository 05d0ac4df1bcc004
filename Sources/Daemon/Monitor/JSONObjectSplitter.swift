/// Cuts a byte stream into top-level JSON objects, as QMP's streaming parser does: objects may
/// span reads or share one; whitespace between them is skipped. Braces inside strings do not
/// count. Bounded: an object longer than `limit` is abandoned with an error.
struct JSONObjectSplitter {
    enum Piece: Equatable {
        case object([UInt8])
        /// Bytes that cannot start an object, or an object over the limit (skipped).
        case error(String)
    }

    let limit: Int
    private var current: [UInt8] = []
    private var depth = 0
    private var inString = false
    private var escaped = false
    /// Inside a run of bytes that cannot start an object: one error per run, not per byte.
    private var inGarbage = false

    init(limit: Int = 1 << 16) { self.limit = limit }

    mutating func feed(_ bytes: some Sequence<UInt8>) -> [Piece] {
        var pieces: [Piece] = []
        for byte in bytes {
            if depth == 0 {
                if byte == UInt8(ascii: "{") {
                    depth = 1
                    current = [byte]
                    inGarbage = false
                } else if byte == 0x0a {
                    inGarbage = false
                } else if ![0x20, 0x09, 0x0d].contains(byte) && !inGarbage {
                    inGarbage = true
                    pieces.append(.error("JSON parse error, expecting value"))
                }
                continue
            }
            current.append(byte)
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 {
                    pieces.append(.object(current))
                    current = []
                }
            }
            if current.count > limit {
                pieces.append(.error("JSON object longer than \(limit) bytes"))
                reset()
            }
        }
        return pieces
    }

    mutating func reset() {
        current = []
        depth = 0
        inString = false
        escaped = false
    }
}
