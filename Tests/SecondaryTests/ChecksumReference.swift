@testable import Fabric
@testable import Secondary

/// RW-13 as the engine computed it before its one-pass fast path: every read and write through
/// Fabric's bounds-checked accessors, byte by byte. Kept as the reference the fast path must
/// match byte for byte (`ChecksumFastPathTests`).
enum ReferenceChecksum {
    static func recompute(_ bytes: inout [UInt8], vnetHeaderLength vnet: Int, quirks: QuirkSet<RewriterQuirk>) -> ChecksumOutcome {
        var length = bytes.count - vnet
        guard length >= 14 else { return .skipped(.frameTooShort) }
        let l2 = COLOPacketParser.l2HeaderLength(bytes, at: vnet)
        length -= l2
        if length >= 0 && length < 20 { return .skipped(.noIPHeader) }
        let ip = vnet + l2
        guard bytes.byte(at: ip) >> 4 == 4 else { return .skipped(.notIPv4) }
        guard bytes.be16(at: ip + 6) & 0x3fff == 0 else { return .skipped(.fragment) }
        let totalLength = Int(bytes.be16(at: ip + 2))
        guard length >= totalLength else { return .skipped(.truncated) }
        let ihlBytes = Int(bytes.byte(at: ip) & 0x0f) * 4
        let tcpLength = totalLength - ihlBytes
        if tcpLength < 0 {
            guard quirks[.checksumProceedsOnNegativeTCPLength] else { return .skipped(.tcpTooShort) }
        } else if tcpLength < 20 {
            return .skipped(.tcpTooShort)
        }
        let tcp: Int
        if quirks[.checksumAssumesBareIPHeader] {
            tcp = ip + 20
        } else {
            guard ihlBytes >= 20 else { return .skipped(.badHeaderLength) }
            tcp = ip + ihlBytes
        }
        let summedLength = Int(UInt16(truncatingIfNeeded: tcpLength))
        let field = tcp + 16
        let previous = bytes.be16(at: field)
        setIfInside(&bytes, field, 0)
        var covered = [UInt8](repeating: 0, count: summedLength)
        for index in 0..<summedLength { covered[index] = bytes.byte(at: tcp + index) }
        let pseudo = [UInt8](bytes[ip + 12..<ip + 20]) + [0, 6, UInt8(summedLength >> 8), UInt8(summedLength & 0xff)]
        let value = InternetChecksum.checksum(pseudo + covered)
        setIfInside(&bytes, field, value)
        return .written(fieldOffset: field, previous: previous, value: value,
                        misplaced: tcp != ip + ihlBytes, coveredBytesPastFrame: tcp + summedLength > bytes.count)
    }

    private static func setIfInside(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt16) {
        if offset >= 0 && offset < bytes.count { bytes[offset] = UInt8(truncatingIfNeeded: value >> 8) }
        if offset + 1 >= 0 && offset + 1 < bytes.count { bytes[offset + 1] = UInt8(truncatingIfNeeded: value) }
    }

    /// RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'), for a 32-bit field changed from `old` to `new`:
    /// the incremental update QEMU does not use.
    static func incremental(_ checksum: UInt16, old: UInt32, new: UInt32) -> UInt16 {
        var sum = UInt32(~checksum)
        for (m, m2) in [(old >> 16, new >> 16), (old & 0xffff, new & 0xffff)] {
            sum += UInt32(~UInt16(m)) + m2
        }
        while sum > 0xffff { sum = (sum & 0xffff) + (sum >> 16) }
        return ~UInt16(sum)
    }
}
