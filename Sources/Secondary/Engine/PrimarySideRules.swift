import Fabric

extension RuleRun {
    /// §8.3, frames sent by the netdev (to the guest), in QEMU's order. Flags and numbers are
    /// re-read where QEMU re-reads them, because RW-13's misplaced write can change them.
    mutating func applyPrimarySideRules() {
        var flags = fields.flags(bytes)

        // RW-7
        if flags.isSynAck && state == .synSent {
            setState(.established, .rw7)
            if !quirks[.guestInitiatedConnectionsLearnNoOffset], let isn = connection.pendingGuestISN {
                connection.pendingGuestISN = nil
                setOffset(isn &- (fields.ack(bytes) &- 1), .rw7)
                if connection.offset != 0 { translateAcknowledgement() }
            }
        }

        // RW-8
        flags = fields.flags(bytes)
        if flags.isSynOnly {
            if !quirks[.clientSYNKeepsStaleOffset] && state != .synReceived {
                setOffset(0, .rw8)
                connection.pendingGuestISN = nil
            }
            setState(.synReceived, .rw8)
        }

        // RW-9
        flags = fields.flags(bytes)
        if flags.isAckClass {
            if state == .synReceived {
                completeOffset(acknowledging: fields.ack(bytes))
                setState(.established, .rw9_1)
            }
            let clientAck = fields.ack(bytes)
            if connection.offset != 0 { translateAcknowledgement() }
            if state == .lastAck {
                let compared = quirks[.passiveCloseComparesAcrossSpaces] ? fields.ack(bytes) : clientAck
                if compared == connection.finAckSeq &+ 1 {
                    setState(.closed, .rw9_3)
                    remove(.rw9_3)
                }
            }
        }

        // RW-10
        flags = fields.flags(bytes)
        if flags.contains(.fin) {
            if state == .established { setState(.closeWait, .rw10_1) }
            if state == .finWait1 {
                if quirks[.activeCloseForgetsFinalAck] {
                    setState(.closed, .rw10_2)
                    remove(.rw10_2)
                } else {
                    setState(.timeWait, .rw10_2)
                }
            }
        }
    }

    /// RW-9.1: offset := ISN − (ack − 1), the ISN parked in `offset` (QEMU) or pending apart.
    private mutating func completeOffset(acknowledging ack: UInt32) {
        if quirks[.guestISNParkedInOffset] {
            setOffset(connection.offset &- (ack &- 1), .rw9_1)
        } else if let isn = connection.pendingGuestISN {
            connection.pendingGuestISN = nil
            setOffset(isn &- (ack &- 1), .rw9_1)
        }
    }
}
