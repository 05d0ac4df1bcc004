/// Byte-level parsing of the exact headers ``HTTPLikeMessages`` itself writes, so the
/// workload's own traffic skips the String-based parser (a profile hot spot). Anything that is
/// not byte for byte such a header returns nil and goes through the general parser, which gives
/// the same answer for canonical headers: the fast path only ever agrees with it or abstains.
extension HTTPLikeMessages {
    private static let canonicalRequestPrefix: [UInt8] = Array("POST /".utf8)
    private static let canonicalRequestMiddle: [UInt8] = Array(" HTTP/1.1\r\nHost: lockstep\r\nContent-Length: ".utf8)
    private static let canonicalResponsePrefix: [UInt8] = Array("HTTP/1.1 200 OK\r\nContent-Length: ".utf8)
    /// Up to 18 decimal digits never overflow `Int`; longer numbers take the general path.
    private static let maximumDigits = 18

    /// `requestHeader(responseSize:bodySize:)`'s exact shape, or nil.
    static func parseCanonicalRequest(_ header: ArraySlice<UInt8>) -> ParsedRequest? {
        var index = header.startIndex
        guard consume(canonicalRequestPrefix, in: header, at: &index),
              let responseSize = decimal(in: header, at: &index),
              consume(canonicalRequestMiddle, in: header, at: &index),
              let bodySize = decimal(in: header, at: &index),
              consume(headerEnd, in: header, at: &index), index == header.endIndex
        else { return nil }
        return ParsedRequest(responseSize: responseSize, bodySize: bodySize)
    }

    /// `responseHeader(bodySize:)`'s exact shape: the body size, or nil.
    static func parseCanonicalResponse(_ header: ArraySlice<UInt8>) -> Int? {
        var index = header.startIndex
        guard consume(canonicalResponsePrefix, in: header, at: &index),
              let bodySize = decimal(in: header, at: &index),
              consume(headerEnd, in: header, at: &index), index == header.endIndex
        else { return nil }
        return bodySize
    }

    private static func consume(_ expected: [UInt8], in header: ArraySlice<UInt8>, at index: inout Int) -> Bool {
        guard header.endIndex - index >= expected.count else { return false }
        for byte in expected {
            guard header[index] == byte else { return false }
            index += 1
        }
        return true
    }

    /// One to `maximumDigits` ASCII digits.
    private static func decimal(in header: ArraySlice<UInt8>, at index: inout Int) -> Int? {
        var value = 0
        var digits = 0
        while index < header.endIndex, header[index] >= 0x30, header[index] <= 0x39 {
            guard digits < maximumDigits else { return nil }
            value = value * 10 + Int(header[index] - 0x30)
            digits += 1
            index += 1
        }
        return digits > 0 ? value : nil
    }
}
