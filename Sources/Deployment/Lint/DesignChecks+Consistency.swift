extension DesignChecks {
    /// L043: vnet_hdr_support must agree along every pipe and with the netdev (W-12, L-10).
    mutating func checkVnetHeaders() {
        for link in context.pairing.links {
            let serverSide = vnetUses(link.server)
            let clientSide = vnetUses(link.client)
            for (writerEnd, readerEnd) in [(serverSide, clientSide), (clientSide, serverSide)] {
                guard let writer = writerEnd.first(where: { $0.role.writes }),
                      let reader = readerEnd.first(where: { $0.role.reads }),
                      writer.vnet != reader.vnet
                else { continue }
                add(.vnetHeaderMismatch, host: writer.host, argument: context.objectLocation(writer.host, writer.role.ownerID), key: "vnet_hdr_support",
                    message: "'\(writer.role.ownerID)' writes records with vnet_hdr_support=\(ValueParsing.boolText(writer.vnet)) but '\(reader.role.ownerID)' (\(reader.host)) reads them with \(ValueParsing.boolText(reader.vnet)): the length fields desynchronise and the reader gives up (W-12)",
                    hint: "set vnet_hdr_support the same on every mirror, redirector, rewriter and compare of the path (L-10)")
            }
        }
        for role in HostRole.allCases {
            let host = context.index(role)
            for filter in host.host.filters where filter.hasVnetHeaderProperty && !context.isRefused(filter.id, on: role) {
                guard let netdev = filter.netdev, host.netdev(netdev) != nil else { continue }
                let carries = host.usesVnetHeader(netdev: netdev)
                guard carries != filter.vnetHeaderSupport else { continue }
                add(.vnetHeaderMismatch, host: role, argument: context.objectLocation(role, filter.id), key: "vnet_hdr_support",
                    message: carries
                        ? "netdev '\(netdev)' carries virtio-net headers (virtio NIC on \(host.netdev(netdev)?.kind.rawValue ?? "it")) but \(filter.kind.typeName) '\(filter.id)' has vnet_hdr_support=off: the header is taken for the Ethernet frame"
                        : "\(filter.kind.typeName) '\(filter.id)' has vnet_hdr_support=on but netdev '\(netdev)' carries no virtio-net header (its NIC is not virtio-net, or vnet_hdr=off)",
                    hint: "set vnet_hdr_support=\(ValueParsing.boolText(carries)) (L-10)")
            }
        }
    }

    /// The frontends of one chardev end with their vnet setting.
    private func vnetUses(_ endpoint: ChardevEndpoint) -> [(host: HostRole, role: ChardevFrontendRole, vnet: Bool)] {
        let host = context.index(endpoint.host)
        return host.frontends(ofChardev: endpoint.chardev).compactMap { role in
            if context.isRefused(role.ownerID, on: endpoint.host) { return nil }
            if let filter = host.filter(role.ownerID), filter.hasVnetHeaderProperty {
                return (endpoint.host, role, filter.vnetHeaderSupport)
            }
            if case .compareNotifyDev = role { return nil }
            if let compare = host.object(role.ownerID)?.coloCompare {
                return (endpoint.host, role, compare.vnetHeaderSupport)
            }
            return nil
        }
    }

    /// L048, L049, L051, L052.
    mutating func checkMiscellaneous() {
        for role in HostRole.allCases {
            for compare in topology[role].compares where compare.notifyDev != nil {
                add(.notifyDevWithoutXen, host: role, argument: context.objectLocation(role, compare.id), key: "notify_dev",
                    message: "colo-compare '\(compare.id)' has notify_dev: that channel is for Xen COLO; with it set, checkpoint requests go to the chardev instead of QEMU's COLO framework (C-26)",
                    hint: "remove notify_dev unless the COLO frame is Xen's")
            }
        }
        guard context.isCOLO else {
            reportNothingToCheck()
            return
        }
        for role in HostRole.allCases {
            let host = topology[role]
            for filter in host.filters where filter.status == .off && [.mirror, .redirector, .rewriter].contains(filter.kind) {
                add(.filterStatusOff, host: role, argument: context.objectLocation(role, filter.id), key: "status",
                    message: "\(filter.kind.typeName) '\(filter.id)' starts with status=off: it does nothing until enabled, so the COLO path is incomplete",
                    hint: "drop status=off (it is meant for failover, F-10)")
            }
            let index = context.index(role)
            for netdev in host.netdevs where index.nics(attachedTo: netdev.id).isEmpty {
                add(.netdevWithoutNIC, host: role, argument: context.sources(role).netdev(netdev.id), key: "id",
                    message: "netdev '\(netdev.id)' has no NIC (QEMU warns it has no peer): frames sent to it are dropped",
                    hint: "add -device MODEL,netdev=\(netdev.id)",
                    claim: .started(version: version, warning: "netdev \(netdev.id) has no peer"))
            }
            for (index, nic) in host.nics.enumerated() where nic.netdev == nil {
                add(.netdevWithoutNIC, host: role, argument: context.sources(role).nic(at: index), key: "netdev",
                    message: "NIC \(nic.id ?? nic.model) has no netdev: it is connected to nothing the filters can see",
                    hint: "add netdev=<the -netdev id>",
                    claim: .started(version: version, warning: nic.id.map { "nic \($0) has no peer" }))
            }
        }
        checkComponents()
    }

    /// L054: a lint that finds nothing must not read as a pass when there was nothing to look
    /// at (an empty or comment-only file, a program name alone, a VM without COLO).
    private mutating func reportNothingToCheck() {
        let empty = HostRole.allCases.filter { role in
            let host = topology[role]
            return host.netdevs.isEmpty && host.nics.isEmpty && host.chardevs.isEmpty && host.objects.isEmpty && host.otherOptions.isEmpty
        }
        let what = empty.count == 2
            ? "both command lines are empty (nothing but comments, blanks or the program name)"
            : empty.count == 1
                ? "the \(empty[0]) command line is empty (nothing but comments, blanks or the program name), and the other has no filter-mirror, filter-redirector, filter-rewriter or colo-compare"
                : "neither command line has a filter-mirror, filter-redirector, filter-rewriter or colo-compare"
        add(.nothingToCheck, host: empty.count == 1 ? empty[0] : nil, argument: nil,
            message: "\(what): there is nothing COLO to check",
            hint: "give the primary's and the secondary's QEMU command lines (lockstep qemu-args prints an example)")
    }

    private mutating func checkComponents() {
        let primary = topology.primary
        let secondary = topology.secondary
        let missing: [(HostRole, Bool, String, String)] = [
            (.primary, primary.compares.isEmpty, "the primary has no colo-compare: nothing compares the two guests' output",
             "add -object colo-compare with primary_in, secondary_in, outdev and iothread"),
            (.primary, !primary.filters.contains { $0.kind == .mirror }, "the primary has no filter-mirror: client traffic never reaches the secondary guest",
             "add -object filter-mirror,queue=tx,outdev=<server chardev>"),
            (.secondary, !secondary.filters.contains { $0.kind == .redirector }, "the secondary has no filter-redirector: it neither receives the mirror nor sends its output to the compare",
             "add the f1 (queue=tx, indev) and f2 (queue=rx, outdev) redirectors"),
        ]
        for (role, isMissing, message, hint) in missing where isMissing {
            let anchor = topology[role].netdevs.first.flatMap { context.sources(role).netdev($0.id) }
            add(.missingCOLOComponent, host: role, argument: anchor, message: message, hint: hint)
        }
    }
}
