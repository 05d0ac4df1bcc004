import Fabric

/// Bytes an application has decided to send on one TCP socket but the send buffer has not yet
/// taken: explicit bytes and runs of ``PayloadPattern``, in order. Records what was handed over.
struct OutgoingStream: Sendable, Hashable {
    enum Piece: Sendable, Hashable {
        case bytes([UInt8])
        case pattern(offset: Int, count: Int)
    }

    private(set) var pieces: [Piece] = []
    private(set) var sent: StreamRecord

    init(recording: RecordingMode) {
        sent = StreamRecord(mode: recording)
    }

    var isEmpty: Bool { pieces.isEmpty }

    mutating func append(_ bytes: [UInt8]) {
        if !bytes.isEmpty { pieces.append(.bytes(bytes)) }
    }

    mutating func appendPattern(offset: Int, count: Int) {
        if count > 0 { pieces.append(.pattern(offset: offset, count: count)) }
    }

    /// Hands as much as the send buffer takes to the stack.
    mutating func flush(on stack: inout NetworkStack, _ handle: SocketHandle, _ choices: any Chooser) {
        while let piece = pieces.first {
            switch piece {
            case .bytes(let bytes):
                guard let taken = try? stack.send(bytes, on: handle, choices: choices), taken > 0 else { return }
                bytes[0..<taken].withUnsafeBytes { sent.append($0) }
                if taken < bytes.count {
                    pieces[0] = .bytes(Array(bytes[taken...]))
                    return
                }
                pieces.removeFirst()
            case .pattern(let offset, let count):
                var done = 0
                var blocked = false
                PayloadPattern.withBytes(at: offset, count: count) { chunk in
                    guard !blocked else { return }
                    let taken = (try? stack.send(chunk, on: handle, choices: choices)) ?? 0
                    sent.append(UnsafeRawBufferPointer(rebasing: chunk[0..<taken]))
                    done += taken
                    if taken < chunk.count { blocked = true }
                }
                if done < count {
                    pieces[0] = .pattern(offset: offset + done, count: count - done)
                    return
                }
                pieces.removeFirst()
            }
        }
    }
}
