import Fabric
import Deployment

/// What a backend observes of QEMU's VMs, applied to Lockstep's guests: a stopped VM's guest
/// stands still (its clock too), a checkpoint load makes the secondary guest a copy of the
/// primary's, a lost host's guest is gone, a failover moves the network to the secondary.
extension LockstepSide {
    /// The VM stopped: the guest neither runs nor sends; frames still reaching it are taken
    /// into its state (QEMU delivered them before the VM stopped).
    package func pauseGuest(_ role: HostRole) {
        guest(role).pause()
    }

    /// The VM runs again: the guest's clock resumes; pending output leaves.
    package func resumeGuest(_ role: HostRole) {
        guest(role).resume()
    }

    /// K-7 step 3: the (stopped) secondary guest becomes a copy of the primary's. Returns
    /// whether the two are equal right after the load; `record` names the checkpoint, so
    /// ``primaryRestarted(record:)`` can check the primary did not change meanwhile.
    package func loadSecondary(record: Int) -> Bool {
        let secondary = guest(.secondary)
        secondary.load(from: guest(.primary))
        let loaded = GuestFingerprint(secondary)
        lastLoad = (record, loaded)
        return loaded == GuestFingerprint(guest(.primary))
    }

    /// The primary restarts after checkpoint `record`: false when it no longer equals what the
    /// secondary loaded (it must not change while stopped).
    package func primaryUnchanged(sinceLoadOf record: Int) -> Bool {
        guard let lastLoad, lastLoad.record == record else { return true }
        return lastLoad.fingerprint == GuestFingerprint(guest(.primary))
    }

    /// The host is gone: its guest stops, its tap takes nothing more.
    package func hostLost(_ role: HostRole) {
        guest(role).kill()
        tap(role).kill()
    }

    /// K-10: the secondary carries the service; the client's frames now reach its tap.
    package func secondaryTookOver() {
        secondaryHasTakenOver = true
        lan.setActiveTap(.secondary)
    }

    /// K-11 teardown done: the primary's guest output no longer goes through a compare.
    package func comparesTornDown() {
        monitor.stopChecking()
    }

    /// Guest-side timeline actions (divergence, knobs, stalls, injected frames); false for the
    /// actions that act on QEMU (host loss, checkpoint delay, chardevs, properties).
    package func applyToGuests(_ action: TimelineAction) -> Bool {
        switch action {
        case .divergeSecondaryResponses(let count): guest(.secondary).divergeResponses(count: count)
        case let .setGuestKnobs(role, knobs): guest(role).setKnobs(knobs)
        case let .stallGuest(role, duration): guest(role).stall(until: scheduler.now + duration)
        case let .injectFrames(guests, kind, count):
            for role in guests { guest(role).inject(kind, count: count) }
        case .losePrimary, .loseSecondary, .setCheckpointDelay, .chardevFault, .disconnectChardev, .setCompareProperty,
             .setVnetHeaderSupport:
            return false
        }
        return true
    }
}
