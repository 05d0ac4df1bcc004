/// The HTTP-like request/response protocol between ``ConnectionWorkload`` and
/// ``RequestResponseServer``: `POST /<response size> HTTP/1.1` with a `Content-Length` body
/// in, `HTTP/1.1 200 OK` with a `Content-Length` body out. Bodies are ``PayloadPattern`` bytes.
public enum HTTPLikeMessages {
    static let headerEnd: [UInt8] = Array("\r\n\r\n".utf8)
    /// Longest header a server accepts before answering 400.
    public static let maximumHeaderLength = 8_192

    // The headers are built byte by byte rather than by string interpolation: one is made for
    // every request and response, and formatting a String cost more than sending it.

    public static func requestHeader(responseSize: Int, bodySize: Int) -> [UInt8] {
        var header: [UInt8] = []
        header.reserveCapacity(64)
        header += "POST /".utf8
        appendDecimal(responseSize, to: &header)
        header += " HTTP/1.1\r\nHost: lockstep\r\nContent-Length: ".utf8
        appendDecimal(bodySize, to: &header)
        header += "\r\n\r\n".utf8
        return header
    }

    public static func responseHeader(bodySize: Int) -> [UInt8] {
        var header: [UInt8] = []
        header.reserveCapacity(48)
        header += "HTTP/1.1 200 OK\r\nContent-Length: ".utf8
        appendDecimal(bodySize, to: &header)
        header += "\r\n\r\n".utf8
        return header
    }

    /// `value` in decimal, as `"\(value)"` writes it.
    static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        let start = bytes.count
        var magnitude = value.magnitude
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()
    }

    public static let badRequest: [UInt8] = Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8)

    /// Index just past the blank line ending the header, if `buffer` holds one.
    static func headerLength(in buffer: [UInt8]) -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4)
        where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index + 4
        }
        return nil
    }

    struct ParsedRequest: Equatable {
        /// Nil when the path names no size ("/"): the server's default applies.
        var responseSize: Int?
        var bodySize: Int
    }

    /// Parses a request header; nil when it is not one this protocol understands.
    static func parseRequest(_ header: ArraySlice<UInt8>) -> ParsedRequest? {
        if let canonical = parseCanonicalRequest(header) { return canonical }
        let lines = String(decoding: header, as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: true)
        guard let requestLine = lines.first else { return nil }
        let words = requestLine.split(separator: " ")
        guard words.count == 3, words[0] == "GET" || words[0] == "POST", words[1].hasPrefix("/"),
              words[2].hasPrefix("HTTP/") else { return nil }
        let path = words[1].dropFirst()
        var responseSize: Int?
        if !path.isEmpty {
            guard let size = Int(path), size >= 0 else { return nil }
            responseSize = size
        }
        guard let bodySize = contentLength(lines.dropFirst()) else { return nil }
        return ParsedRequest(responseSize: responseSize, bodySize: bodySize)
    }

    /// Parses a response header: its body size, or nil if malformed or not 200.
    static func parseResponse(_ header: ArraySlice<UInt8>) -> Int? {
        if let canonical = parseCanonicalResponse(header) { return canonical }
        let lines = String(decoding: header, as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: true)
        guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/1.1 200") else { return nil }
        return contentLength(lines.dropFirst())
    }

    private static func contentLength(_ lines: ArraySlice<Substring>) -> Int? {
        for line in lines {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "content-length" {
                guard let value = Int(parts[1].trimmingCharacters(in: " ")), value >= 0 else { return nil }
                return value
            }
        }
        return 0
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> Substring {
        var result = self
        while result.first == set { result = result.dropFirst() }
        while result.last == set { result = result.dropLast() }
        return result
    }
}
