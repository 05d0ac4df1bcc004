import Fabric

/// Timer expiry: TIME-WAIT, retransmission (RFC 6298 §5), persist and delayed ACK.
extension TCPConnection {
    mutating func runTimers(_ net: inout InterfaceLayer, _ choices: any Chooser) {
        let now = net.now
        if let deadline = timeWaitDeadline, deadline <= now {
            close(with: nil)
            net.noteApplicationEvent(handle)
            return
        }
        if let deadline = retransmitDeadline, deadline <= now {
            retransmitTimeout(&net, choices)
            if state == .closed { return }
        }
        if let deadline = persistDeadline, deadline <= now {
            persistDeadline = nil
            if sendWindow == 0 {
                sendWindowProbe(&net, choices)
                persistBackoff += 1
                persistDeadline = now + persistInterval
            } else {
                output(&net, choices, force: true)
            }
        }
        if let deadline = delayedAckDeadline, deadline <= now {
            delayedAckDeadline = nil
            ackNow = true
            output(&net, choices)
        }
    }

    private mutating func retransmitTimeout(_ net: inout InterfaceLayer, _ choices: any Chooser) {
        retransmitDeadline = nil
        retransmissions += 1
        let configuration = net.configuration.tcp
        let synchronizing = state == .synSent || state == .synReceived
        let limit = synchronizing ? configuration.synRetransmissions : configuration.maximumRetransmissions
        if retransmissions > limit {
            close(with: .timedOut)
            net.noteApplicationEvent(handle)
            return
        }
        net.counters.tcpTimeouts += 1
        rto.backOff()
        timedSequence = nil
        if configuration.congestionControl == .newReno && !synchronizing {
            slowStartThreshold = max(bytesInFlight / 2, 2 * sendMSS)
            congestionWindow = sendMSS
            inRecovery = false
        }
        duplicateAcks = 0
        // Go back to the oldest unacknowledged byte (or the SYN) and resend from there.
        sendNext = synchronizing ? initialSendSequence : sendUnacknowledged
        output(&net, choices, force: true)
    }
}
