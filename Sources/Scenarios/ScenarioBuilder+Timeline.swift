import Yams
import Fabric
import Primary
import Deployment
import COLORuntime

/// `timeline:` — a list of `{at: TIME, ACTION: ARGUMENT}`; TIME may be a window `START..END`.
extension ScenarioBuilder {
    static let timelineActions = ["crash", "diverge_secondary", "stall", "set_knobs", "set_checkpoint_delay", "force_checkpoint", "chardev_fault", "chardev_disconnect", "inject_frames", "set_compare_property", "set_vnet_hdr_support"]

    mutating func readTimeline(_ node: Node) {
        guard let items = reader.list(node, "the timeline") else { return }
        var events: [(event: TimelineEvent, isForce: Bool)] = []
        for item in items {
            guard let fields = reader.fields(item, "a timeline event", known: ["at"] + Self.timelineActions, required: ["at"]) else { continue }
            let actions = fields.entries.filter { $0.key != "at" }
            guard actions.count == 1, let (key, _, argument) = actions.first else {
                reader.error(at: item, actions.isEmpty
                    ? "expected one action in a timeline event: \(Self.timelineActions.joined(separator: ", "))"
                    : "expected one action per timeline event, got \(actions.count): \(actions.map(\.key).joined(separator: ", "))")
                continue
            }
            guard let atNode = fields["at"], let window = reader.window(atNode, "the event time 'at'") else { continue }
            guard window.upperBound <= configuration.duration else {
                reader.error(at: atNode, "expected the event time 'at' within the run (duration \(DurationText.format(configuration.duration))), "
                             + "got \(NodeReader.shown(atNode)): the event would never happen")
                continue
            }
            guard let action = readAction(key, argument) else { continue }
            events.append((TimelineEvent(within: window, action), key == "force_checkpoint"))
        }
        // Events at one time keep their file order (the scheduler breaks ties by insertion).
        // Windows are ordered by their start: that order names their choice points and decides
        // which x-checkpoint-delay a windowed force_checkpoint sets again.
        let ordered = events.enumerated().sorted { ($0.element.event.at, $0.offset) < ($1.element.event.at, $1.offset) }.map(\.element)
        // Forcing a checkpoint is what an operator does in QEMU: set x-checkpoint-delay again
        // (to its current value), which notifies the COLO thread at once (K-2).
        var delay = configuration.controller.checkpointDelay
        for index in ordered.indices {
            if case .setCheckpointDelay(let value) = ordered[index].event.action {
                if ordered[index].isForce {
                    var forced = ordered[index].event
                    forced.action = .setCheckpointDelay(delay)
                    configuration.timeline.append(forced)
                    continue
                }
                delay = value
            }
            configuration.timeline.append(ordered[index].event)
        }
    }

    private func readAction(_ key: String, _ node: Node) -> TimelineAction? {
        switch key {
        case "crash":
            guard let role = reader.choice(node, "the host that crashes", ["primary", "secondary"]) else { return nil }
            return role == "primary" ? .losePrimary : .loseSecondary
        case "diverge_secondary":
            guard let count = reader.int(node, "how many secondary responses diverge", min: 1) else { return nil }
            return .divergeSecondaryResponses(count: count)
        case "stall":
            guard let fields = reader.fields(node, "a stall", known: ["guest", "for"], required: ["guest", "for"]),
                  let guest = fields["guest"].flatMap({ reader.choice($0, "the stalled guest", ["primary", "secondary"]) }),
                  let duration = fields["for"].flatMap({ reader.duration($0, "the stall's length 'for'", allowsZero: false) }) else { return nil }
            return .stallGuest(guest == "primary" ? .primary : .secondary, duration: duration)
        case "set_knobs":
            guard let fields = reader.fields(node, "new guest knobs", known: ["guest"] + Self.knobKeys, required: ["guest"]),
                  let guest = fields["guest"].flatMap({ reader.choice($0, "the guest", ["primary", "secondary"]) }) else { return nil }
            let role: HostRole = guest == "primary" ? .primary : .secondary
            var knobs = role == .primary ? configuration.primaryKnobs : configuration.secondaryKnobs
            readKnobs(fields, into: &knobs)
            return .setGuestKnobs(role, knobs)
        case "set_checkpoint_delay":
            guard let delay = reader.checkpointDelay(node, "the new x-checkpoint-delay") else { return nil }
            return .setCheckpointDelay(delay)
        case "chardev_fault":
            guard let fields = reader.fields(node, "a chardev fault", known: ["chardev", "kind"], required: ["chardev", "kind"]),
                  let chardev = fields["chardev"].flatMap({ reader.string($0, "the chardev id") }),
                  let kind = fields["kind"].flatMap({ reader.choice($0, "the fault kind", ChardevRecordFault.allCases.map(\.rawValue)) }),
                  let fault = ChardevRecordFault(rawValue: kind) else { return nil }
            guard knowsChardev(chardev, at: fields["chardev"]) else { return nil }
            return .chardevFault(chardev: chardev, fault)
        case "chardev_disconnect":
            guard let fields = reader.fields(node, "a chardev disconnection", known: ["chardev", "for"], required: ["chardev", "for"]),
                  let chardev = fields["chardev"].flatMap({ reader.string($0, "the chardev id") }),
                  let duration = fields["for"].flatMap({ reader.duration($0, "how long the chardev stays down 'for'", allowsZero: false) })
            else { return nil }
            guard knowsChardev(chardev, at: fields["chardev"]) else { return nil }
            return .disconnectChardev(chardev: chardev, duration: duration)
        case "set_vnet_hdr_support":
            guard let fields = reader.fields(node, "a vnet_hdr_support change", known: ["object", "value"], required: ["object", "value"]),
                  let object = fields["object"].flatMap({ reader.string($0, "the object id") }),
                  let value = fields["value"].flatMap({ reader.choice($0, "the new vnet_hdr_support", ["on", "off"]) }) else { return nil }
            let hosts = [configuration.topology.primary, configuration.topology.secondary]
            let modelled = hosts.flatMap { host in
                host.filters.filter { $0.kind == .mirror || $0.kind == .redirector }.map(\.id) + host.compares.map(\.id)
            }
            guard modelled.contains(object) else {
                let isFilter = hosts.contains { $0.filter(object) != nil }
                reader.error(at: fields["object"], isFilter
                    ? "'\(object)': a run-time vnet_hdr_support change is modelled on filter-mirror, filter-redirector and colo-compare only"
                    : "expected a filter-mirror, filter-redirector or colo-compare of the topology: one of \(modelled.joined(separator: ", ")); got '\(object)'")
                return nil
            }
            return .setVnetHeaderSupport(object: object, value == "on")
        case "set_compare_property":
            guard let fields = reader.fields(node, "a compare property change", known: ["property", "value"], required: ["property", "value"]),
                  let name = fields["property"].flatMap({ reader.choice($0, "the compare property", CompareRuntimeProperty.allCases.map(\.rawValue)) }),
                  let property = CompareRuntimeProperty(rawValue: name),
                  let valueNode = fields["value"], let value = reader.int(valueNode, "the property's value", min: 1) else { return nil }
            do {
                _ = try property.validated(UInt64(value))
            } catch {
                reader.error(at: valueNode, "expected a value \(name) accepts: \(error)")
                return nil
            }
            return .setCompareProperty(property, value: UInt64(value))
        case "inject_frames":
            guard let fields = reader.fields(node, "injected frames", known: ["guest", "kind", "count"], required: ["guest", "kind"]),
                  let guest = fields["guest"].flatMap({ reader.choice($0, "the sending guest", ["primary", "secondary", "both"]) }),
                  let kind = fields["kind"].flatMap({ reader.choice($0, "the frame kind", InjectedFrameKind.allCases.map(\.rawValue)) }),
                  let frameKind = InjectedFrameKind(rawValue: kind) else { return nil }
            var count = 1
            if let node = fields["count"] {
                guard let value = reader.int(node, "how many frames each guest sends", min: 1, max: 10_000) else { return nil }
                count = value
            }
            let guests: [HostRole] = guest == "both" ? [.primary, .secondary] : [guest == "primary" ? .primary : .secondary]
            return .injectFrames(guests: guests, frameKind, count: count)
        case "force_checkpoint":
            guard reader.bool(node, "force_checkpoint") == true else {
                if case .scalar(let scalar) = node, scalar.string == "false" {
                    reader.error(at: node, "expected force_checkpoint: true (leave the event out instead of false)")
                }
                return nil
            }
            // Placeholder resolved by `readTimeline` once the delay in force at that time is known.
            return .setCheckpointDelay(.zero)
        default:
            return nil
        }
    }

    /// Whether `chardev` is a chardev socket of the topology; records an error at `node` if not.
    private func knowsChardev(_ chardev: String, at node: Node?) -> Bool {
        let ids = configuration.topology.links.flatMap { [$0.server.chardev, $0.client.chardev] }
        if ids.contains(chardev) { return true }
        reader.error(at: node, "expected a chardev socket of the topology: one of \(ids.joined(separator: ", ")); got '\(chardev)'")
        return false
    }
}
