import Fabric

/// An ICMP echo request or reply as an application sees it.
public struct EchoMessage: Sendable, Hashable {
    public var peer: IPv4Address
    public var identifier: UInt16
    public var sequence: UInt16
    public var payload: [UInt8]
    public var receivedAt: VirtualTime
}

struct ICMPInbox: Sendable {
    var replies: [EchoMessage] = []
    /// Requests waiting for an application responder (``EchoReplyMode/application``).
    var requests: [EchoMessage] = []
}

/// ICMP echo (RFC 792): answered at once by the stack, or handed to an application.
extension NetworkStack {
    mutating func receiveICMP(_ bytes: [UInt8], transport: Int, length: Int, source: IPv4Address, _ choices: any Chooser) {
        guard length >= 8 else {
            interface.counters[drop: .truncatedTransport] += 1
            return
        }
        let valid = bytes.withUnsafeBytes { InternetChecksum.sum($0.baseAddress! + transport, count: length) == 0xffff }
        guard valid else {
            interface.counters[drop: .badICMPChecksum] += 1
            return
        }
        let message = EchoMessage(
            peer: source, identifier: bytes.be16(at: transport + 4), sequence: bytes.be16(at: transport + 6),
            payload: Array(bytes[transport + 8..<transport + length]), receivedAt: interface.now)
        switch (bytes[transport], bytes[transport + 1]) {
        case (ICMPHeader.echoRequest, 0):
            interface.counters.icmpEchoRequestsReceived += 1
            if configuration.echoReplies == .stack {
                sendEchoReply(to: message, payload: message.payload, choices: choices)
            } else {
                icmp.requests.append(message)
                interface.applicationEvents = true
            }
        case (ICMPHeader.echoReply, 0):
            icmp.replies.append(message)
            interface.applicationEvents = true
        default:
            interface.counters[drop: .unhandledICMP] += 1
        }
    }

    public mutating func sendEchoRequest(to destination: IPv4Address, identifier: UInt16, sequence: UInt16,
                                         payload: [UInt8], choices: any Chooser) {
        let addressing = interface.addressing(to: destination, choices: choices)
        interface.transmit(DatagramWriter.icmp(
            addressing, type: ICMPHeader.echoRequest, code: 0,
            restOfHeader: UInt32(identifier) << 16 | UInt32(sequence), body: payload), to: destination)
    }

    /// Answers `request` (normally with its own payload; a responder may alter it).
    public mutating func sendEchoReply(to request: EchoMessage, payload: [UInt8], choices: any Chooser) {
        let addressing = interface.addressing(to: request.peer, choices: choices)
        interface.transmit(DatagramWriter.icmp(
            addressing, type: ICMPHeader.echoReply, code: 0,
            restOfHeader: UInt32(request.identifier) << 16 | UInt32(request.sequence), body: payload), to: request.peer)
        interface.counters.icmpEchoRepliesSent += 1
    }

    /// Echo replies received since the last call, oldest first.
    public mutating func takeEchoReplies() -> [EchoMessage] {
        defer { icmp.replies.removeAll() }
        return icmp.replies
    }

    /// Echo requests waiting for an application responder, oldest first.
    public mutating func takeEchoRequests() -> [EchoMessage] {
        defer { icmp.requests.removeAll() }
        return icmp.requests
    }
}
