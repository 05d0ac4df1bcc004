import Fabric

extension RuleRun {
    /// §8.4, frames sent by the NIC (from the guest), RW-11.1…RW-11.5 in QEMU's order.
    mutating func applySecondarySideRules() {
        var flags = fields.flags(bytes)

        // RW-11.1
        if state == .synReceived && flags.isSynAck {
            let isn = fields.seq(bytes)
            if quirks[.guestISNParkedInOffset] {
                setOffset(isn, .rw11_1)
            } else {
                recordGuestISN(isn, .rw11_1)
            }
        }

        // RW-11.2
        flags = fields.flags(bytes)
        if flags.isSynOnly {
            if state == .closed {
                setState(.synSent, .rw11_2)
                if !quirks[.guestInitiatedConnectionsLearnNoOffset] { recordGuestISN(fields.seq(bytes), .rw11_2) }
            } else if !quirks[.guestSYNTrackedOnlyFromClosed] {
                // A new connection on a reused tuple: whatever the old one learned is stale.
                setOffset(0, .rw11_2)
                connection.pendingGuestISN = nil
                setState(.synSent, .rw11_2)
                if !quirks[.guestInitiatedConnectionsLearnNoOffset] { recordGuestISN(fields.seq(bytes), .rw11_2) }
            }
        }

        // RW-11.3
        flags = fields.flags(bytes)
        if flags.isAckClass && connection.offset != 0 { translateSequence() }

        // RW-11.4 (QEMU reads flags and seq again, after the checksum write)
        flags = fields.flags(bytes)
        if state == .closeWait && flags.isSuperset(of: [.ack, .fin]) {
            connection.finAckSeq = fields.seq(bytes)
            events.append(.finAckSeqRecorded(key: key, value: connection.finAckSeq))
            setState(.lastAck, .rw11_4)
        }

        // RW-11.5
        let closes = quirks[.guestCloseRequiresBareFIN]
            ? flags.intersection([.ack, .fin]) == .fin
            : flags.contains(.fin)
        if state == .established && closes { setState(.finWait1, .rw11_5) }

        // Corrected active close: the guest's last ACK has been translated; now forget the entry.
        if !quirks[.activeCloseForgetsFinalAck] && state == .timeWait && originalFlags.isAckClass {
            setState(.closed, .fixedFinalAck)
            remove(.fixedFinalAck)
        }
    }
}
