import Testing
@testable import Fabric
@testable import GuestStack

@Suite("HTTP-like workload messages")
struct HTTPLikeMessagesTests {
    @Test("the byte-level fast path reads the headers the messages write", arguments: [0, 7, 1_460, 65_536])
    func canonicalHeaders(size: Int) {
        let request = ArraySlice(HTTPLikeMessages.requestHeader(responseSize: size, bodySize: size + 1))
        #expect(HTTPLikeMessages.parseCanonicalRequest(request) == .init(responseSize: size, bodySize: size + 1))
        #expect(HTTPLikeMessages.parseRequest(request) == .init(responseSize: size, bodySize: size + 1))
        let response = ArraySlice(HTTPLikeMessages.responseHeader(bodySize: size))
        #expect(HTTPLikeMessages.parseCanonicalResponse(response) == size)
        #expect(HTTPLikeMessages.parseResponse(response) == size)
    }

    @Test("headers are built byte for byte as the formatted text", arguments: [0, 9, 10, 1_024, -3, Int.max, Int.min])
    func headerBytes(value: Int) {
        #expect(HTTPLikeMessages.requestHeader(responseSize: value, bodySize: 12)
                == Array("POST /\(value) HTTP/1.1\r\nHost: lockstep\r\nContent-Length: 12\r\n\r\n".utf8))
        #expect(HTTPLikeMessages.responseHeader(bodySize: value) == Array("HTTP/1.1 200 OK\r\nContent-Length: \(value)\r\n\r\n".utf8))
    }

    @Test("other headers leave the fast path and keep the general parser's answers")
    func otherHeaders() {
        let lowercase = ArraySlice(Array("POST /5 HTTP/1.1\r\ncontent-length:  +3 \r\n\r\n".utf8))
        #expect(HTTPLikeMessages.parseCanonicalRequest(lowercase) == nil)
        #expect(HTTPLikeMessages.parseRequest(lowercase) == .init(responseSize: 5, bodySize: 3))
        let root = ArraySlice(Array("GET / HTTP/1.1\r\n\r\n".utf8))
        #expect(HTTPLikeMessages.parseCanonicalRequest(root) == nil)
        #expect(HTTPLikeMessages.parseRequest(root) == .init(responseSize: nil, bodySize: 0))
        let huge = ArraySlice(HTTPLikeMessages.requestHeader(responseSize: 1, bodySize: 0).dropLast(5)
                              + Array("1234567890123456789012\r\n\r\n".utf8))
        #expect(HTTPLikeMessages.parseCanonicalRequest(huge) == nil)
        #expect(HTTPLikeMessages.parseRequest(huge) == nil)
        let notFound = ArraySlice(Array("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".utf8))
        #expect(HTTPLikeMessages.parseCanonicalResponse(notFound) == nil)
        #expect(HTTPLikeMessages.parseResponse(notFound) == nil)
    }
}
