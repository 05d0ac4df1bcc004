import Fabric

/// What the stack must do after a connection handled a segment or a timer.
struct TCPEventOutcome: Sendable {
    /// A passive connection has just completed its handshake: queue it on its listener.
    var completedPassiveOpen = false
}

/// Segment arrival (RFC 793 §3.9 "SEGMENT ARRIVES"), with RFC 5681/6582 ACK handling, RFC 6298
/// timing, RFC 7323 timestamps and delayed ACKs.
extension TCPConnection {
    /// Records the peer's options from its SYN and fixes the MSS we send with (RFC 879, RFC 6691).
    mutating func negotiate(with segment: InboundTCPSegment, _ configuration: StackConfiguration) {
        timestampsEnabled = configuration.tcp.timestamps && segment.hasTimestamp
        sackEnabled = configuration.tcp.sackPermitted && segment.sackPermitted
        if segment.hasTimestamp { timestampRecent = segment.timestampValue }
        let peerMSS = Int(segment.maximumSegmentSize ?? 536)
        sendMSS = max(1, min(peerMSS, configuration.mtu - 40) - (timestampsEnabled ? 12 : 0))
        receiveMSS = min(536, TCPConnection.advertisedMSS(configuration))
    }

    mutating func openCongestionWindow(_ configuration: TCPConfiguration) {
        congestionWindow = max(1, configuration.initialWindowSegments) * sendMSS
        if synRetransmitted { rto.applySynTimeoutFloor() }
    }

    mutating func input(_ segment: InboundTCPSegment, _ bytes: [UInt8], _ net: inout InterfaceLayer,
                        _ choices: any Chooser) -> TCPEventOutcome {
        var outcome = TCPEventOutcome()
        if state == .synSent {
            inputSynSent(segment, &net, choices)
            return outcome
        }
        let configuration = net.configuration
        // 1. Acceptability (RFC 793 p. 69).
        let window = Seq.gt(receiveAdvertisedEdge, receiveNext) ? Seq.distance(receiveNext, receiveAdvertisedEdge) : 0
        let length = segment.sequenceLength
        let seq = segment.sequence
        let acceptable: Bool
        if length == 0 {
            acceptable = window == 0 ? seq == receiveNext
                : Seq.leq(receiveNext, seq) && Seq.lt(seq, receiveNext &+ UInt32(window))
        } else if window == 0 {
            acceptable = false
        } else {
            let last = seq &+ UInt32(length - 1)
            acceptable = (Seq.leq(receiveNext, seq) && Seq.lt(seq, receiveNext &+ UInt32(window)))
                || (Seq.leq(receiveNext, last) && Seq.lt(last, receiveNext &+ UInt32(window)))
        }
        // A zero window still takes ACK and window information from an in-sequence segment.
        let zeroWindowInSequence = !acceptable && window == 0 && seq == receiveNext
        if !acceptable && !zeroWindowInSequence {
            if segment.flags.contains(.rst) {
                net.counters[drop: .tcpOutOfWindow] += 1
                return outcome
            }
            if state == .timeWait && segment.flags.contains(.fin) {
                timeWaitDeadline = net.now + configuration.tcp.timeWait
            }
            if length > 0 && Seq.lt(seq, receiveNext) {
                net.counters.tcpDuplicateSegmentsReceived += 1
            } else {
                net.counters[drop: .tcpOutOfWindow] += 1
            }
            ackNow = true
            output(&net, choices)
            return outcome
        }
        // 2. RST.
        if segment.flags.contains(.rst) {
            net.counters.tcpResetsReceived += 1
            close(with: state == .synReceived && listener != nil ? nil : .reset)
            net.noteApplicationEvent(handle)
            return outcome
        }
        // 3. SYN in a synchronized state: challenge ACK (RFC 5961 §4).
        if segment.flags.contains(.syn) {
            net.counters[drop: .tcpUnexpected] += 1
            ackNow = true
            output(&net, choices)
            return outcome
        }
        // 4. No ACK: drop.
        guard segment.flags.contains(.ack) else {
            net.counters[drop: .tcpUnexpected] += 1
            return outcome
        }
        // RFC 7323 §4.3: remember the timestamp of the segment that is next in sequence.
        if timestampsEnabled && segment.hasTimestamp && Seq.leq(seq, lastAckSent) {
            timestampRecent = segment.timestampValue
        }
        // 5. ACK.
        if state == .synReceived {
            let ack = segment.acknowledgement
            guard Seq.gt(ack, sendUnacknowledged) && Seq.leq(ack, sendMax) else {
                net.sendReset(answering: segment, choices)
                return outcome
            }
            state = .established
            updateWindow(from: segment, force: true)
            openCongestionWindow(configuration.tcp)
            acknowledge(upTo: ack, &net, choices)
            outcome.completedPassiveOpen = listener != nil
            net.noteApplicationEvent(handle)
        } else {
            guard processAck(segment, &net, choices) else {
                output(&net, choices)
                return outcome
            }
        }
        if finAcknowledged {
            switch state {
            case .finWait1:
                state = .finWait2
                net.noteApplicationEvent(handle)
            case .closing:
                enterTimeWait(net)
            case .lastAck:
                close(with: nil)
                net.noteApplicationEvent(handle)
                return outcome
            default:
                break
            }
        }
        // 6. Data, 7. FIN.
        if !zeroWindowInSequence {
            if segment.payloadLength > 0 {
                if state.acceptsData {
                    receive(segment, bytes, window: window, &net)
                } else {
                    net.counters[drop: .tcpUnexpected] += 1
                }
            }
            if segment.flags.contains(.fin) && state.acceptsData {
                let finSequence = seq &+ UInt32(segment.payloadLength)
                if Seq.lt(finSequence, receiveNext &+ UInt32(window)) || finSequence == receiveNext {
                    if finSequence == receiveNext {
                        consumeFin(&net)
                    } else if Seq.gt(finSequence, receiveNext) {
                        reassembly.finSequence = finSequence
                        ackNow = true
                    }
                }
            }
        } else if length > 0 {
            ackNow = true
        }
        output(&net, choices)
        return outcome
    }

    private mutating func inputSynSent(_ segment: InboundTCPSegment, _ net: inout InterfaceLayer, _ choices: any Chooser) {
        let flags = segment.flags
        let ack = segment.acknowledgement
        if flags.contains(.ack) && (Seq.leq(ack, initialSendSequence) || Seq.gt(ack, sendMax)) {
            net.sendReset(answering: segment, choices)
            net.counters[drop: .tcpUnexpected] += 1
            return
        }
        if flags.contains(.rst) {
            net.counters.tcpResetsReceived += 1
            if flags.contains(.ack) {
                close(with: .refused)
                net.noteApplicationEvent(handle)
            } else {
                net.counters[drop: .tcpUnexpected] += 1
            }
            return
        }
        guard flags.contains(.syn) else {
            net.counters[drop: .tcpUnexpected] += 1
            return
        }
        initialReceiveSequence = segment.sequence
        receiveNext = segment.sequence &+ 1
        receiveAdvertisedEdge = receiveNext
        negotiate(with: segment, net.configuration)
        if flags.contains(.ack) {
            state = finQueued ? .finWait1 : .established
            updateWindow(from: segment, force: true)
            openCongestionWindow(net.configuration.tcp)
            acknowledge(upTo: ack, &net, choices)
            net.noteApplicationEvent(handle)
        } else {
            // Simultaneous open (RFC 793 figure 8): answer with SYN-ACK.
            state = .synReceived
            sendNext = initialSendSequence
        }
        ackNow = true
        output(&net, choices)
    }

    /// Send window update rule (RFC 793 p. 72, with SND.WL1/SND.WL2).
    mutating func updateWindow(from segment: InboundTCPSegment, force: Bool) {
        if force || Seq.lt(sendWindowUpdateSequence, segment.sequence)
            || (sendWindowUpdateSequence == segment.sequence && Seq.leq(sendWindowUpdateAck, segment.acknowledgement)) {
            let opened = sendWindow == 0 && segment.window > 0
            sendWindow = UInt32(segment.window)
            sendWindowUpdateSequence = segment.sequence
            sendWindowUpdateAck = segment.acknowledgement
            largestSendWindow = max(largestSendWindow, sendWindow)
            if opened {
                persistDeadline = nil
                persistBackoff = 0
            }
        }
    }

    /// ACK processing in synchronized states. False when the segment must be dropped.
    private mutating func processAck(_ segment: InboundTCPSegment, _ net: inout InterfaceLayer, _ choices: any Chooser) -> Bool {
        let ack = segment.acknowledgement
        if Seq.gt(ack, sendMax) {
            net.counters[drop: .tcpUnexpected] += 1
            ackNow = true
            return false
        }
        if Seq.lt(ack, sendUnacknowledged) { return true }
        let configuration = net.configuration.tcp
        let windowChanged = UInt32(segment.window) != sendWindow
        if Seq.gt(ack, sendUnacknowledged) {
            let acked = Seq.distance(sendUnacknowledged, ack)
            let mss = sendMSS
            if configuration.congestionControl == .newReno {
                if inRecovery {
                    if Seq.geq(ack, recoverPoint) {
                        inRecovery = false
                        let flightAfter = Seq.distance(ack, sendMax)
                        congestionWindow = min(slowStartThreshold, max(flightAfter, mss) + mss)
                    } else {
                        // NewReno partial ACK (RFC 6582 §3.2 step 3).
                        congestionWindow = max(congestionWindow - acked + (acked >= mss ? mss : 0), mss)
                    }
                } else if congestionWindow < slowStartThreshold {
                    congestionWindow += min(acked, mss)
                } else {
                    congestionWindow += max(1, mss * mss / max(congestionWindow, 1))
                }
            }
            duplicateAcks = 0
            acknowledge(upTo: ack, &net, choices)
            if inRecovery && Seq.lt(ack, recoverPoint) {
                retransmitFirstUnacknowledged(&net, choices)
                retransmitDeadline = net.now + .nanoseconds(rto.rto)
            }
        } else if segment.payloadLength == 0 && !segment.flags.contains(.syn) && !segment.flags.contains(.fin)
                    && !windowChanged && sendMax != sendUnacknowledged {
            duplicateAcks += 1
            let threshold = configuration.duplicateAckThreshold
            if duplicateAcks == threshold && !inRecovery {
                net.counters.tcpFastRetransmits += 1
                if configuration.congestionControl == .newReno {
                    slowStartThreshold = max(bytesInFlight / 2, 2 * sendMSS)
                    congestionWindow = slowStartThreshold + threshold * sendMSS
                    inRecovery = true
                    recoverPoint = sendMax
                }
                retransmitFirstUnacknowledged(&net, choices)
                retransmitDeadline = net.now + .nanoseconds(rto.rto)
            } else if duplicateAcks > threshold && inRecovery {
                congestionWindow += sendMSS
            }
        }
        updateWindow(from: segment, force: false)
        return true
    }

    /// Everything before `ack` is acknowledged: free the buffer, time the RTT, rearm the timer.
    mutating func acknowledge(upTo ack: UInt32, _ net: inout InterfaceLayer, _ choices: any Chooser) {
        if Seq.gt(ack, sendBufferSequence) {
            let acked = min(Seq.distance(sendBufferSequence, ack), sendBuffer.count)
            if acked > 0 {
                sendBuffer.removeFirst(acked)
                sendBufferSequence = sendBufferSequence &+ UInt32(acked)
                net.noteApplicationEvent(handle)
            }
        }
        if let timed = timedSequence, Seq.gt(ack, timed) {
            rto.sample((net.now - timedAt).nanoseconds)
            timedSequence = nil
        }
        retransmissions = 0
        sendUnacknowledged = ack
        if Seq.lt(sendNext, ack) { sendNext = ack }
        retransmitDeadline = sendUnacknowledged == sendMax ? nil : net.now + .nanoseconds(rto.rto)
    }

    /// Accepts in-window payload: in order into the receive buffer, otherwise into reassembly.
    private mutating func receive(_ segment: InboundTCPSegment, _ bytes: [UInt8], window: Int, _ net: inout InterfaceLayer) {
        var start = segment.sequence
        var offset = segment.payloadStart
        var length = segment.payloadLength
        if Seq.lt(start, receiveNext) {
            let trim = Seq.distance(start, receiveNext)
            guard trim < length else {
                net.counters.tcpDuplicateSegmentsReceived += 1
                ackNow = true
                return
            }
            offset += trim
            length -= trim
            start = receiveNext
        }
        let edge = receiveNext &+ UInt32(window)
        if Seq.gt(start &+ UInt32(length), edge) {
            length = Seq.gt(edge, start) ? Seq.distance(start, edge) : 0
        }
        guard length > 0 else {
            ackNow = true
            return
        }
        receiveMSS = max(receiveMSS, min(segment.payloadLength, TCPConnection.advertisedMSS(net.configuration)))
        if start == receiveNext {
            let hadGap = !reassembly.blocks.isEmpty
            receiveBuffer.append(bytes[offset..<offset + length])
            receiveNext = receiveNext &+ UInt32(length)
            net.counters.tcpPayloadBytesReceived += length
            if hadGap {
                for chunk in reassembly.takeContiguous(from: receiveNext) {
                    receiveBuffer.append(chunk)
                    receiveNext = receiveNext &+ UInt32(chunk.count)
                    net.counters.tcpPayloadBytesReceived += chunk.count
                }
                ackNow = true
                if reassembly.finSequence == receiveNext { consumeFin(&net) }
            }
            unacknowledgedBytes += length
            let delayed = net.configuration.tcp.delayedAck
            if !delayed.enabled || unacknowledgedBytes >= delayed.segments * receiveMSS {
                ackNow = true
            } else if delayedAckDeadline == nil {
                delayedAckDeadline = net.now + delayed.timeout
            }
            net.noteApplicationEvent(handle)
        } else {
            reassembly.insert(sequence: start, bytes: bytes[offset..<offset + length])
            net.counters.tcpOutOfOrderSegmentsReceived += 1
            ackNow = true
        }
    }

    /// The peer's FIN is next in sequence.
    mutating func consumeFin(_ net: inout InterfaceLayer) {
        receiveNext = receiveNext &+ 1
        reassembly.finSequence = nil
        finReceived = true
        ackNow = true
        net.noteApplicationEvent(handle)
        switch state {
        case .established, .synReceived: state = .closeWait
        case .finWait1: if finAcknowledged { enterTimeWait(net) } else { state = .closing }
        case .finWait2: enterTimeWait(net)
        default: break
        }
    }

    mutating func enterTimeWait(_ net: InterfaceLayer) {
        state = .timeWait
        retransmitDeadline = nil
        persistDeadline = nil
        timeWaitDeadline = net.now + net.configuration.tcp.timeWait
    }

    /// Moves to CLOSED, stopping every timer.
    mutating func close(with error: TCPConnectionError?) {
        state = .closed
        if let error { self.error = error }
        retransmitDeadline = nil
        delayedAckDeadline = nil
        persistDeadline = nil
        timeWaitDeadline = nil
    }
}
