import Fabric

/// Data that arrived beyond RCV.NXT, held until the gap before it fills (RFC 793 §3.9), kept
/// sorted and non-overlapping: where copies overlap, the bytes that arrived first win.
struct ReassemblyQueue: Sendable, Hashable {
    struct Block: Sendable, Hashable {
        var sequence: UInt32
        var bytes: [UInt8]
        var end: UInt32 { sequence &+ UInt32(bytes.count) }
    }

    private(set) var blocks: [Block] = []
    /// Sequence number of a FIN that arrived out of order.
    var finSequence: UInt32?
    /// Start of the data that arrived most recently, reported first in SACK (RFC 2018 §4).
    private(set) var latestArrival: UInt32?

    var isEmpty: Bool { blocks.isEmpty && finSequence == nil }
    var byteCount: Int { blocks.reduce(0) { $0 + $1.bytes.count } }

    /// Inserts `bytes` starting at `sequence` (after RCV.NXT), keeping only what is new.
    mutating func insert(sequence: UInt32, bytes: ArraySlice<UInt8>) {
        guard !bytes.isEmpty else { return }
        latestArrival = sequence
        let end = sequence &+ UInt32(bytes.count)
        var cursor = sequence
        var pieces: [Block] = []
        for block in blocks {
            if Seq.leq(block.end, cursor) { continue }
            if Seq.geq(block.sequence, end) { break }
            if Seq.gt(block.sequence, cursor) {
                pieces.append(piece(bytes, base: sequence, from: cursor, to: block.sequence))
            }
            cursor = Seq.max(cursor, block.end)
        }
        if Seq.lt(cursor, end) { pieces.append(piece(bytes, base: sequence, from: cursor, to: end)) }
        guard !pieces.isEmpty else { return }
        blocks += pieces
        // Everything held lies within one receive window (< 2^31), so modular comparison is a
        // total order here. (Sorting by distance from the old first block put a piece that
        // arrived *before* it at the end, so the queue never drained past the gap: issue #6.)
        blocks.sort { Seq.lt($0.sequence, $1.sequence) }
    }

    private func piece(_ bytes: ArraySlice<UInt8>, base: UInt32, from: UInt32, to: UInt32) -> Block {
        let start = bytes.startIndex + Seq.distance(base, from)
        return Block(sequence: from, bytes: Array(bytes[start..<start + Seq.distance(from, to)]))
    }

    /// Removes and returns data now contiguous with `next` (RCV.NXT), in order.
    mutating func takeContiguous(from next: UInt32) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var cursor = next
        while let first = blocks.first, Seq.leq(first.sequence, cursor) {
            blocks.removeFirst()
            if Seq.gt(first.end, cursor) {
                let skip = Seq.distance(first.sequence, cursor)
                result.append(first.bytes[skip...])
                cursor = first.end
            }
        }
        return result
    }

    /// SACK blocks (RFC 2018): merged runs of held data, the most recent arrival's run first,
    /// then the others in sequence order, at most `limit`.
    func sackBlocks(limit: Int) -> [TCPOption.SACKBlock] {
        var runs: [TCPOption.SACKBlock] = []
        for block in blocks {
            if let last = runs.last, last.right == block.sequence {
                runs[runs.count - 1].right = block.end
            } else {
                runs.append(TCPOption.SACKBlock(left: block.sequence, right: block.end))
            }
        }
        if let latest = latestArrival,
           let index = runs.firstIndex(where: { Seq.leq($0.left, latest) && Seq.lt(latest, $0.right) }), index > 0 {
            let run = runs.remove(at: index)
            runs.insert(run, at: 0)
        }
        return Array(runs.prefix(limit))
    }
}
