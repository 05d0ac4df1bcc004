import Fabric
import Primary
import Deployment
import COLORuntime

/// A scenario's timeline on real QEMU: guest actions go to Lockstep's guests, the rest to QEMU
/// (QMP `migrate-set-parameters`, `qom-set`, a killed process: RealWorld+Failover) or to the
/// chardev relays (faults and resets).
extension RealWorld {
    func scheduleTimeline() {
        for (position, event) in configuration.timeline.enumerated() {
            let action = event.action
            let instant = event.instant(index: position, chooser: scheduler.chooser)
            scheduler.schedule(at: VirtualTime.zero + instant, EventLabel("timeline \(action.token)")) { [unowned self] in
                apply(action)
            }
        }
    }

    func apply(_ action: TimelineAction) {
        log.controller(.timeline(action))
        if side.applyToGuests(action) { return }
        switch action {
        case .losePrimary: lose(.primary)
        case .loseSecondary: lose(.secondary)
        case .setCheckpointDelay(let delay):
            guard coloRunning, alive[0] else { return }
            send(.primary, "migrate-set-parameters", ["x-checkpoint-delay": Self.checkpointDelayMilliseconds(delay)])
            requested(.delayChanged, at: scheduler.now)
        case let .chardevFault(chardev, fault):
            for relay in relays where relay.involves(chardev: chardev) { relay.inject(fault) }
        case let .disconnectChardev(chardev, duration):
            for relay in relays where relay.involves(chardev: chardev) { relay.disconnect(for: duration) }
        case let .setCompareProperty(property, value):
            for compare in compares {
                send(.primary, "qom-set", ["path": "/objects/\(compare.id)", "property": property.rawValue, "value": value])
                compare.setProperty(property, value)
            }
        case let .setVnetHeaderSupport(object, value):
            for role in HostRole.allCases where alive[index(role)] && configuration.topology[role].object(object) != nil {
                send(role, "qom-set", ["path": "/objects/\(object)", "property": "vnet_hdr_support", "value": value])
                for relay in relays where relay.plan.writer?.host == role {
                    let writer = configuration.topology[role].frontends(ofChardev: relay.plan.writer?.chardev ?? "")
                    if writer.contains(where: { $0.writes && $0.ownerID == object }) { relay.writerFramingChanged(withVnetField: value) }
                }
            }
        case .divergeSecondaryResponses, .setGuestKnobs, .stallGuest, .injectFrames:
            break
        }
    }

    /// A QMP command during the run: its refusal ends the run (the scenario asked for something
    /// this QEMU will not do).
    func send(_ role: HostRole, _ command: String, _ arguments: [String: Any]? = nil, then: @escaping () -> Void = {}) {
        guard let channel = qmp[index(role)], alive[index(role)] else { return }
        channel.execute(command, arguments, at: scheduler.now) { [unowned self] reply in
            switch reply {
            case .success: then()
            case .failure(let message): fail(.commandRefused(host: role.rawValue, command: command, reply: message))
            }
        }
    }
}
