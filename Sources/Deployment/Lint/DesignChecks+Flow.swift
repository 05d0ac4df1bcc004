import Fabric

extension DesignChecks {
    /// L040, L041: each redirector's and mirror's `queue` must match the traffic its pipe carries.
    mutating func checkDirections() {
        for role in HostRole.allCases {
            for filter in topology[role].filters where !context.isRefused(filter.id, on: role) {
                switch filter.kind {
                case .mirror:
                    checkMirrorQueue(filter, on: role)
                case .redirector:
                    checkRedirectorQueue(filter, on: role)
                default:
                    continue
                }
            }
        }
    }

    private mutating func checkMirrorQueue(_ filter: FilterConfiguration, on role: HostRole) {
        guard filter.queue != .tx, let outdev = filter.outdev,
              let peer = context.peerFrontends(host: role, chardev: outdev),
              peer.roles.contains(where: { if case .redirectorIndev = $0 { true } else { false } })
        else { return }
        let effect = filter.queue == .rx
            ? "copies the guest's own output instead of the traffic arriving for it: the peer guest never sees the client's requests"
            : "copies both directions: the peer guest also receives this guest's output"
        add(.mirrorQueue, host: role, argument: context.objectLocation(role, filter.id), key: "queue",
            message: "filter-mirror '\(filter.id)' has queue=\(filter.queue) and \(effect)",
            hint: "use queue=tx (frames sent by the netdev toward the guest, F-2)")
    }

    private mutating func checkRedirectorQueue(_ filter: FilterConfiguration, on role: HostRole) {
        let what = "filter-redirector '\(filter.id)'"
        if let indev = filter.indev, let peer = context.peerFrontends(host: role, chardev: indev) {
            if peer.roles.contains(where: { if case .mirrorOutdev = $0 { true } else { false } }), filter.queue != .tx {
                let effect = filter.queue == .rx
                    ? "injects the mirrored client traffic toward the netdev (out of the tap) instead of to the guest (direction reversed)"
                    : "injects every mirrored record twice, toward the guest and out of the tap (R-5)"
                add(.redirectorDirection, host: role, argument: context.objectLocation(role, filter.id), key: "queue",
                    message: "\(what) reads the mirror of \(describe(peer.endpoint)) with queue=\(filter.queue): it \(effect)",
                    hint: "use queue=tx so records are injected as netdev-sent, toward the guest (R-5)")
            }
            if peer.roles.contains(where: { if case .compareOutdev = $0 { true } else { false } }), filter.queue != .rx {
                let effect = filter.queue == .tx
                    ? "delivers released packets to this guest instead of sending them out of the netdev (direction reversed)"
                    : "injects every released packet twice, to the guest and out of the netdev (R-5)"
                add(.redirectorDirection, host: role, argument: context.objectLocation(role, filter.id), key: "queue",
                    message: "\(what) reads the compare output \(describe(peer.endpoint)) with queue=\(filter.queue): it \(effect)",
                    hint: "use queue=rx so released packets are injected as NIC-sent, toward the netdev (T-4)")
            }
        }
        if let outdev = filter.outdev, let peer = context.peerFrontends(host: role, chardev: outdev),
           peer.roles.contains(where: { role in
               switch role {
               case .comparePrimaryIn, .compareSecondaryIn: true
               default: false
               }
           }),
           filter.queue != .rx {
            let effect = filter.queue == .tx
                ? "steals the traffic arriving for the guest instead of the guest's output (direction reversed), so the guest receives nothing"
                : "steals both directions: the guest no longer receives anything"
            add(.redirectorDirection, host: role, argument: context.objectLocation(role, filter.id), key: "queue",
                message: "\(what) feeds the compare input \(describe(peer.endpoint)) with queue=\(filter.queue): it \(effect)",
                hint: "use queue=rx (frames sent to the netdev by the guest, F-2)")
        }
    }

    /// L042: what a redirector injects continues along the list (R-5); a later stealing
    /// redirector would take it again.
    mutating func checkFilterOrder() {
        for role in HostRole.allCases {
            let host = context.index(role)
            for filter in host.host.filters where filter.kind == .redirector && filter.indev != nil && filter.status == .on
                && !context.isRefused(filter.id, on: role) {
                guard let placement = context.placement(of: filter.id, on: role) else { continue }
                var walks: [(NetDirection, [String])] = []
                if filter.queue != .rx {
                    walks.append((.tx, Array(placement.chain[(placement.index + 1)...])))
                }
                if filter.queue != .tx {
                    walks.append((.rx, placement.chain[..<placement.index].reversed()))
                }
                for (direction, path) in walks {
                    guard let thief = path.compactMap({ host.filter($0) }).first(where: { candidate in
                        candidate.status == .on && candidate.queue.sees(direction) && candidate.kind == .redirector
                            && candidate.outdev != nil && !context.isRefused(candidate.id, on: role)
                    }) else { continue }
                    reportRestealing(injector: filter, thief: thief, direction: direction, on: role)
                }
            }
        }
    }

    private mutating func reportRestealing(injector: FilterConfiguration, thief: FilterConfiguration, direction: NetDirection, on role: HostRole) {
        let source = injector.indev.flatMap { context.peerFrontends(host: role, chardev: $0) }
        let fromCompare = source?.roles.contains { if case .compareOutdev = $0 { true } else { false } } ?? false
        let what = fromCompare ? "released packets" : "injected frames"
        let toward = direction == .rx ? "toward the netdev" : "toward the guest"
        // The injection must start on the far side of the thief: before it in the list for an
        // rx walk (which runs toward the head), behind it for a tx walk.
        let insert = direction == .rx ? "before" : "behind"
        let objects = topology[role].objects.map(\.id)
        let thiefFirst = (objects.firstIndex(of: thief.id) ?? 0) < (objects.firstIndex(of: injector.id) ?? 0)
        let fix = thiefFirst
            ? "give '\(injector.id)' position=id=\(thief.id),insert=\(insert), or reorder the -object options" + (direction == .rx ? " (T-4)" : "")
            : "move -object \(thief.id) before -object \(injector.id)" + (direction == .rx ? " (T-4)" : "")
        add(.filterOrder, host: role, argument: context.objectLocation(role, injector.id), key: "indev",
            message: "the \(what) '\(injector.id)' injects (\(direction), \(toward)) reach '\(thief.id)' first, which steals them again into \(thief.outdev ?? "its outdev")"
                + (fromCompare ? ": they loop back into the compare instead of leaving" : ""),
            hint: fix)
    }

    /// L044, L045: the secondary needs a rewriter that sees both the injected client traffic and
    /// the guest's output before the stealing redirector.
    mutating func checkRewriter() {
        guard !topology.primary.compares.isEmpty else { return }
        let secondary = context.index(.secondary)
        let rewriters = secondary.host.filters.filter { $0.kind == .rewriter }
        guard !rewriters.isEmpty else {
            let anchor = secondary.host.filters.last.flatMap { context.objectLocation(.secondary, $0.id) }
                ?? secondary.host.netdevs.first.flatMap { context.sources(.secondary).netdev($0.id) }
            add(.noRewriter, host: .secondary, argument: anchor,
                message: "the secondary has no filter-rewriter: its guest's TCP sequence numbers differ from the primary's, so every TCP packet mismatches and forces a checkpoint (RW, L-1)",
                hint: "add -object filter-rewriter,id=rew0,netdev=\(secondary.host.netdevs.first?.id ?? "hn0"),queue=all after the redirectors")
            return
        }
        for rewriter in rewriters where !context.isRefused(rewriter.id, on: .secondary) {
            guard let placement = context.placement(of: rewriter.id, on: .secondary) else { continue }
            let location = context.objectLocation(.secondary, rewriter.id)
            if rewriter.queue != .all {
                let missed = rewriter.queue == .tx ? "the guest's replies (secondary-side rules)" : "the client traffic (primary-side rules)"
                add(.rewriterBypassed, host: .secondary, argument: location, key: "queue",
                    message: "filter-rewriter '\(rewriter.id)' has queue=\(rewriter.queue), so \(missed) are never translated",
                    hint: "use queue=all")
            }
            for (index, id) in placement.chain.enumerated() where index > placement.index {
                guard let other = secondary.filter(id), other.kind == .redirector, other.status == .on,
                      !context.isRefused(other.id, on: .secondary)
                else { continue }
                if other.outdev != nil, other.queue != .tx {
                    add(.rewriterBypassed, host: .secondary, argument: location, key: "position",
                        message: "'\(other.id)' sits after '\(rewriter.id)', and the guest's output walks tail to head: '\(other.id)' steals it before the rewriter can translate its sequence numbers",
                        hint: "create '\(rewriter.id)' after '\(other.id)' (the reference order is f1, f2, rew0)")
                }
                if other.indev != nil, other.queue != .rx {
                    add(.rewriterBypassed, host: .secondary, argument: location, key: "position",
                        message: "'\(other.id)' sits after '\(rewriter.id)': what it injects toward the guest continues after it and never passes the rewriter, so acks are not translated",
                        hint: "create '\(rewriter.id)' after '\(other.id)' (the reference order is f1, f2, rew0)")
                }
            }
        }
    }

    /// L046: each compare channel must be connected to the filter that feeds or drains it.
    mutating func checkCompareChannels() {
        for compare in topology.primary.compares where !context.isRefused(compare.id, on: .primary) {
            let location = context.objectLocation(.primary, compare.id)
            let expectations: [(String?, String, HostRole, (ChardevFrontendRole) -> Bool, String)] = [
                (compare.primaryIn, "primary_in", .primary, { if case .redirectorOutdev = $0 { true } else { false } },
                 "a primary redirector with outdev (the guest's output)"),
                (compare.secondaryIn, "secondary_in", .secondary, { if case .redirectorOutdev = $0 { true } else { false } },
                 "a secondary redirector with outdev (the secondary guest's output)"),
                (compare.outdev, "outdev", .primary, { if case .redirectorIndev = $0 { true } else { false } },
                 "a primary redirector with indev (which sends released packets out)"),
            ]
            for (chardev, property, expectedHost, expectedRole, expected) in expectations {
                guard let chardev, context.index(.primary).chardev(chardev)?.socket != nil,
                      let peer = context.peerFrontends(host: .primary, chardev: chardev)
                else { continue }
                if peer.endpoint.host == expectedHost, peer.roles.contains(where: expectedRole) { continue }
                let actual = peer.roles.isEmpty ? "which nothing uses" : "used by \(peer.roles.map(\.description).joined(separator: ", "))"
                add(.compareUnfed, host: .primary, argument: location, key: property,
                    message: "colo-compare '\(compare.id)' \(property)=\(chardev) is connected to \(describe(peer.endpoint)), \(actual); it should be \(expected)",
                    hint: "connect \(property) to \(expected)")
            }
        }
    }
}
