import Fabric

/// Sending: segment construction, the send decision (window, Nagle, SWS avoidance), pure ACKs,
/// retransmission of the first unacknowledged segment, resets and window probes.
extension TCPConnection {
    /// The MSS this side advertises.
    static func advertisedMSS(_ configuration: StackConfiguration) -> Int {
        Int(configuration.tcp.maximumSegmentSize ?? UInt16(clamping: configuration.mtu - 40))
    }

    /// The window to advertise now, with receiver-side SWS avoidance (RFC 1122 §4.2.3.3): the
    /// right edge never moves left, and moves right only by at least min(buffer/2, MSS).
    mutating func windowToAdvertise(_ configuration: StackConfiguration) -> UInt16 {
        let capacity = configuration.tcp.receiveBufferSize
        let potential = min(max(0, capacity - receiveBuffer.count), 65_535)
        let current = Seq.gt(receiveAdvertisedEdge, receiveNext) ? Seq.distance(receiveNext, receiveAdvertisedEdge) : 0
        var window = current
        if potential > current && potential - current >= min(capacity / 2, TCPConnection.advertisedMSS(configuration)) {
            window = potential
        }
        window = min(window, 65_535)
        receiveAdvertisedEdge = Seq.max(receiveAdvertisedEdge, receiveNext &+ UInt32(window))
        return UInt16(window)
    }

    /// Whether reading has opened the window enough to tell the peer now.
    func windowUpdateIsWorthSending(_ configuration: StackConfiguration) -> Bool {
        guard state.acceptsData || state == .synReceived else { return false }
        let capacity = configuration.tcp.receiveBufferSize
        let potential = min(max(0, capacity - receiveBuffer.count), 65_535)
        let current = Seq.gt(receiveAdvertisedEdge, receiveNext) ? Seq.distance(receiveNext, receiveAdvertisedEdge) : 0
        let threshold = min(capacity / 2, TCPConnection.advertisedMSS(configuration))
        return potential - current >= threshold && (current == 0 || potential >= 2 * current)
    }

    /// The application reads: bytes leave the receive buffer, and a window update goes out if
    /// reading opened the window enough. Mutating so it runs on the stored connection in place.
    mutating func read(maxBytes: Int, _ net: inout InterfaceLayer, _ choices: any Chooser) -> [UInt8] {
        let bytes = receiveBuffer.read(max: maxBytes)
        if !bytes.isEmpty { sendWindowUpdateIfWorthwhile(&net, choices) }
        return bytes
    }

    mutating func consume(maxBytes: Int, _ net: inout InterfaceLayer, _ choices: any Chooser,
                          _ body: (UnsafeRawBufferPointer) -> Void) -> Int {
        let count = min(maxBytes, receiveBuffer.count)
        guard count > 0 else { return 0 }
        receiveBuffer.withBytes(offset: 0, length: count) { first, second in
            body(first)
            if !second.isEmpty { body(second) }
        }
        receiveBuffer.removeFirst(count)
        sendWindowUpdateIfWorthwhile(&net, choices)
        return count
    }

    private mutating func sendWindowUpdateIfWorthwhile(_ net: inout InterfaceLayer, _ choices: any Chooser) {
        if windowUpdateIsWorthSending(net.configuration) {
            ackNow = true
            output(&net, choices)
        }
    }

    /// Builds and sends one segment; `dataOffset` indexes `sendBuffer`.
    mutating func emit(sequence: UInt32, dataOffset: Int, length: Int, flags: TCPFlags,
                       _ net: inout InterfaceLayer, _ choices: any Chooser) {
        var options = TCPSegmentOptions()
        if flags.contains(.syn) {
            options.maximumSegmentSize = UInt16(clamping: TCPConnection.advertisedMSS(net.configuration))
            options.sackPermitted = sackEnabled
        } else if sackEnabled && !reassembly.blocks.isEmpty {
            options.sackBlocks = reassembly.sackBlocks(limit: timestampsEnabled ? 3 : 4)
        }
        if timestampsEnabled {
            options.hasTimestamp = true
            options.timestampValue = UInt32(truncatingIfNeeded: net.now.nanoseconds / 1_000_000) &+ timestampOffset
            options.timestampEcho = flags.contains(.ack) ? timestampRecent : 0
        }
        let fields = TCPSegmentFields(
            sourcePort: localPort, destinationPort: remotePort, sequence: sequence,
            acknowledgement: flags.contains(.ack) ? receiveNext : 0, flags: flags,
            window: flags.contains(.rst) ? 0 : windowToAdvertise(net.configuration))
        let addressing = net.addressing(to: remoteAddress, choices: choices)
        let bytes: [UInt8]
        if length > 0 {
            bytes = sendBuffer.withBytes(offset: dataOffset, length: length) {
                TCPFrameWriter.frame(addressing, fields, options: options, payload: $0, payloadContinuation: $1)
            }
            net.counters.tcpDataSegmentsSent += 1
            net.counters.tcpPayloadBytesSent += length
        } else {
            bytes = TCPFrameWriter.frame(addressing, fields, options: options, payload: nil)
        }
        net.transmit(bytes, to: remoteAddress)
        net.counters.tcpSegmentsSent += 1
        if flags.contains(.ack) {
            lastAckSent = receiveNext
            delayedAckDeadline = nil
            unacknowledgedBytes = 0
            ackNow = false
        }
    }

    /// Sends whatever the windows, Nagle and SWS avoidance allow, then a pure ACK if one is owed.
    /// `force` sends one segment even if it is small (timeouts, persist with an open window).
    mutating func output(_ net: inout InterfaceLayer, _ choices: any Chooser, force: Bool = false) {
        let configuration = net.configuration.tcp
        switch state {
        case .synSent, .synReceived:
            if sendNext == initialSendSequence {
                let isRetransmission = Seq.gt(sendMax, initialSendSequence)
                emit(sequence: initialSendSequence, dataOffset: 0, length: 0,
                     flags: state == .synSent ? [.syn] : [.syn, .ack], &net, choices)
                if isRetransmission {
                    net.counters.tcpRetransmissions += 1
                    synRetransmitted = true
                } else {
                    timedSequence = initialSendSequence
                    timedAt = net.now
                }
                sendNext = initialSendSequence &+ 1
                sendMax = Seq.max(sendMax, sendNext)
                if retransmitDeadline == nil { retransmitDeadline = net.now + .nanoseconds(rto.rto) }
            } else if ackNow && state == .synReceived {
                emit(sequence: sendNext, dataOffset: 0, length: 0, flags: [.ack], &net, choices)
            }
            return
        case .established, .closeWait, .finWait1, .closing, .lastAck:
            break
        default:
            if ackNow { emit(sequence: sendNext, dataOffset: 0, length: 0, flags: [.ack], &net, choices) }
            return
        }
        var forceOne = force
        while true {
            let offset = Seq.distance(sendBufferSequence, sendNext)
            let unsent = sendBuffer.count - offset
            let flight = bytesInFlight
            let window = configuration.congestionControl == .none
                ? Int(sendWindow) : min(Int(sendWindow), congestionWindow)
            let usable = max(0, window - flight)
            let length = max(0, min(unsent, usable, sendMSS))
            let fin = finQueued && unsent >= 0 && offset + length == sendBuffer.count
            var send = false
            if length > 0 {
                if length == sendMSS || forceOne {
                    send = true
                } else if length == unsent && (!configuration.nagle || flight == 0 || fin) {
                    send = true
                } else if largestSendWindow > 0 && length >= Int(largestSendWindow) / 2 {
                    send = true
                }
            } else if fin && unsent == 0 {
                send = true
            }
            guard send else { break }
            var flags: TCPFlags = [.ack]
            if length > 0 && offset + length == sendBuffer.count { flags.insert(.psh) }
            if fin { flags.insert(.fin) }
            let isRetransmission = Seq.lt(sendNext, sendMax)
            emit(sequence: sendNext, dataOffset: offset, length: length, flags: flags, &net, choices)
            if isRetransmission {
                net.counters.tcpRetransmissions += 1
            } else if timedSequence == nil && length > 0 {
                timedSequence = sendNext
                timedAt = net.now
            }
            sendNext = sendNext &+ UInt32(length + (fin ? 1 : 0))
            sendMax = Seq.max(sendMax, sendNext)
            if retransmitDeadline == nil { retransmitDeadline = net.now + .nanoseconds(rto.rto) }
            persistDeadline = nil
            persistBackoff = 0
            forceOne = false
            if fin { break }
        }
        if ackNow { emit(sequence: sendNext, dataOffset: 0, length: 0, flags: [.ack], &net, choices) }
        // Data is waiting but nothing is in flight to bring an ACK back: the persist timer
        // guarantees progress (zero window, or a window too small to use under SWS avoidance).
        let unsentNow = sendBuffer.count - Seq.distance(sendBufferSequence, sendNext)
        if unsentNow > 0 && sendNext == sendUnacknowledged && retransmitDeadline == nil && persistDeadline == nil {
            persistDeadline = net.now + persistInterval
        }
    }

    var persistInterval: VirtualDuration {
        let base = max(rto.rto, rto.minimum)
        let scaled = persistBackoff >= 20 ? rto.maximum : min(base << Int64(persistBackoff), rto.maximum)
        return .nanoseconds(max(scaled, base))
    }

    /// Resends the segment at SND.UNA (fast retransmit, NewReno partial ACK) without moving SND.NXT.
    mutating func retransmitFirstUnacknowledged(_ net: inout InterfaceLayer, _ choices: any Chooser) {
        let offset = Seq.distance(sendBufferSequence, sendUnacknowledged)
        let sentData = min(sendBuffer.count, Seq.distance(sendBufferSequence, sendMax)) - offset
        let length = max(0, min(sendMSS, sentData))
        let fin = finSent && offset + length == sendBuffer.count
        guard length > 0 || fin else { return }
        var flags: TCPFlags = [.ack]
        if fin { flags.insert(.fin) }
        if length > 0 && offset + length == sendBuffer.count { flags.insert(.psh) }
        emit(sequence: sendUnacknowledged, dataOffset: offset, length: length, flags: flags, &net, choices)
        net.counters.tcpRetransmissions += 1
        timedSequence = nil
    }

    /// A zero-window probe: an old sequence number with no data, which the peer must answer
    /// with an ACK carrying its current window (the probe Linux sends).
    mutating func sendWindowProbe(_ net: inout InterfaceLayer, _ choices: any Chooser) {
        emit(sequence: sendUnacknowledged &- 1, dataOffset: 0, length: 0, flags: [.ack], &net, choices)
        net.counters.tcpWindowProbes += 1
    }
}

extension InterfaceLayer {
    /// A reset answering a segment that has no connection (RFC 793 §3.4, "Reset Generation").
    mutating func sendReset(answering segment: InboundTCPSegment, _ choices: any Chooser) {
        guard !segment.flags.contains(.rst) else { return }
        let fields: TCPSegmentFields
        if segment.flags.contains(.ack) {
            fields = TCPSegmentFields(
                sourcePort: segment.destinationPort, destinationPort: segment.sourcePort,
                sequence: segment.acknowledgement, acknowledgement: 0, flags: [.rst], window: 0)
        } else {
            fields = TCPSegmentFields(
                sourcePort: segment.destinationPort, destinationPort: segment.sourcePort, sequence: 0,
                acknowledgement: segment.sequence &+ UInt32(segment.sequenceLength), flags: [.rst, .ack], window: 0)
        }
        let addressing = addressing(to: segment.source, choices: choices)
        transmit(TCPFrameWriter.frame(addressing, fields, options: TCPSegmentOptions(), payload: nil), to: segment.source)
        counters.tcpSegmentsSent += 1
        counters.tcpResetsSent += 1
    }
}
