/// The bytes clients and servers send: a fixed pseudo-random sequence with a prime period, so a
/// byte out of place (a segment delivered twice or in the wrong order) shows in a comparison.
public enum PayloadPattern {
    public static let period = 65_521

    /// Twice the period, so any `period`-long window starting below `period` is contiguous.
    static let table: [UInt8] = {
        var state: UInt32 = 0x1234_5678
        var bytes = [UInt8](repeating: 0, count: 2 * period)
        for i in 0..<period {
            state = state &* 1_664_525 &+ 1_013_904_223
            bytes[i] = UInt8(truncatingIfNeeded: state >> 24)
        }
        for i in 0..<period { bytes[period + i] = bytes[i] }
        return bytes
    }()

    /// The pattern bytes at stream offsets `offset..<offset+count`.
    public static func bytes(at offset: Int, count: Int) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        var position = offset % period
        var remaining = count
        while remaining > 0 {
            let chunk = min(remaining, period)
            result.append(contentsOf: table[position..<position + chunk])
            remaining -= chunk
            position = (position + chunk) % period
        }
        return result
    }

    /// Calls `body` with the pattern bytes at `offset..<offset+count` in contiguous pieces.
    package static func withBytes(at offset: Int, count: Int, _ body: (UnsafeRawBufferPointer) -> Void) {
        table.withUnsafeBytes { raw in
            var position = offset % period
            var remaining = count
            while remaining > 0 {
                let chunk = min(remaining, period)
                body(UnsafeRawBufferPointer(rebasing: raw[position..<position + chunk]))
                remaining -= chunk
                position = (position + chunk) % period
            }
        }
    }
}
