import Fabric

/// The TCP checksum recomputation the rewriter runs after a rewrite (RW-13), following the
/// TCP-only path of QEMU's checksum routine step by step.
///
/// Only the TCP checksum is touched, never the IP header checksum. The frame is read after the
/// V bytes; the L2 length is 14/18/22 as in P-1.3. With `assumeBareIPHeader` (QEMU) the TCP
/// header is taken to start 20 bytes after the IP header even when options are present.
/// Writes that would fall outside the frame are dropped (QEMU would write past its buffer).
enum RewriterChecksum {
    static func recompute(
        _ bytes: inout [UInt8], vnetHeaderLength vnet: Int, quirks: QuirkSet<RewriterQuirk>
    ) -> ChecksumOutcome {
        var length = bytes.count - vnet
        guard length >= 14 else { return .skipped(.frameTooShort) }
        let l2 = COLOPacketParser.l2HeaderLength(bytes, at: vnet)
        length -= l2
        // QEMU compares a signed length with an unsigned size: a negative length passes.
        // P-1 guarantees it is never negative on this path; the rule is kept literal anyway.
        if length >= 0 && length < 20 { return .skipped(.noIPHeader) }
        let ip = vnet + l2
        guard bytes.byte(at: ip) >> 4 == 4 else { return .skipped(.notIPv4) }
        guard bytes.fastBE16(at: ip + 6) & 0x3fff == 0 else { return .skipped(.fragment) }
        let totalLength = Int(bytes.fastBE16(at: ip + 2))
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
        // QEMU passes the length as a 16-bit value, so a negative length wraps.
        let summedLength = Int(UInt16(truncatingIfNeeded: tcpLength))
        let field = tcp + 16
        let previous = bytes.fastBE16(at: field)
        setIfInside(&bytes, field, 0)
        let pseudo = InternetChecksum.pseudoHeader(
            source: bytes.fastBE32(at: ip + 12), destination: bytes.fastBE32(at: ip + 16),
            protocol: IPProtocolNumber.tcp, length: summedLength)
        let value = ~InternetChecksum.add(pseudo, InternetChecksum.sum(bytes, from: tcp, count: summedLength))
        setIfInside(&bytes, field, value)
        return .written(
            fieldOffset: field, previous: previous, value: value,
            misplaced: tcp != ip + ihlBytes,
            coveredBytesPastFrame: tcp + summedLength > bytes.count)
    }

    /// Stores a big-endian value byte by byte, dropping the bytes that fall outside the frame.
    private static func setIfInside(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt16) {
        if bytes.contains(offset: offset, length: 2) {
            bytes.setBE16(value, at: offset)
            return
        }
        if offset >= 0 && offset < bytes.count { bytes[offset] = UInt8(truncatingIfNeeded: value >> 8) }
        if offset + 1 >= 0 && offset + 1 < bytes.count { bytes[offset + 1] = UInt8(truncatingIfNeeded: value) }
    }
}
