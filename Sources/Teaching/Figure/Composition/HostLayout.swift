import Deployment

/// One host drawn in its own coordinates (frame at the origin).
struct HostDrawing: Sendable, Hashable {
    var role: HostRole
    var frame: SceneFrame
    var boxes: [SceneBox] = []
    var wires: [SceneWire] = []
    var texts: [SceneText] = []

    var width: Int { frame.rect.width }
    var height: Int { frame.rect.height }

    mutating func shift(dx: Int, dy: Int) {
        func move(_ point: GridPoint) -> GridPoint { GridPoint(x: point.x + dx, y: point.y + dy) }
        frame.rect.x += dx
        frame.rect.y += dy
        for index in boxes.indices {
            boxes[index].rect.x += dx
            boxes[index].rect.y += dy
        }
        for index in wires.indices {
            wires[index].points = wires[index].points.map(move)
        }
        for index in texts.indices {
            texts[index].point = move(texts[index].point)
        }
    }
}

/// Places one host's boxes, group by group (see `HostGroup`). A group is a column: the netdev on
/// top, its filter list head first below it, the guest's NIC at the bottom, with the two walk
/// lanes between the boxes (tx down on the left, rx up on the right). Its compares sit beside
/// the column on the side facing the other host (`.beside`), or below the guest (`.below`,
/// when the hosts are stacked). Right of each group runs a channel for the pipes.
struct HostLayout {
    enum Mode: Sendable, Hashable {
        /// Hosts side by side; `facing` is the side the other host is on.
        case beside(facing: GridDirection)
        /// Hosts stacked; every port faces right, toward the group's channel.
        case below
    }

    let host: FigureHost
    let model: FigureModel
    let metrics: FigureMetrics
    let markers: FigureMarkers
    let highlight: ComponentID?
    let mode: Mode
    /// Filter rows every column leaves room for: the longest list of both hosts when they sit
    /// side by side (so their rows line up), of this host alone when stacked.
    let filterRows: Int

    static let sideMargin = 2
    static let laneGap = 3
    static let contentTop = 2
    static let compareGap = 6
    static let minimumChannel = 3
    /// Rows between a group row's lowest box and the next group row.
    static let groupRowGap = 3

    private var role: HostRole { host.role }
    var groups: [HostGroup] { host.groups(model: model) }

    private var facing: GridDirection {
        switch mode {
        case .beside(let facing): facing
        case .below: .right
        }
    }

    // MARK: Widths

    /// Columns a group's boxes take.
    func contentWidth(_ group: HostGroup) -> Int {
        let compares = !group.compares.isEmpty
        switch mode {
        case .beside:
            return metrics.filterBoxWidth + (compares ? Self.compareGap + metrics.compareBoxWidth : 0)
        case .below:
            return max(metrics.filterBoxWidth, compares ? 2 + metrics.compareBoxWidth : 0)
        }
    }

    /// Columns right of a group for its pipes: one track per pipe leaving it, plus air.
    func channelWidth(_ group: HostGroup) -> Int {
        let ports = host.ports(in: group)
        let leaving = ports.filter { port in
            guard let peer = model.peerPort(of: port) else { return false }
            if case .below = mode { return true }
            return peer.host != role || (port.role.isCompare == peer.role.isCompare)
        }
        return max(Self.minimumChannel, leaving.count + 2)
    }

    /// The distance from one group's left edge to the next one's that fits every group, with
    /// `perRow` groups per row: the channel of a slot carries the pipes of every group drawn in
    /// that slot, since pipes from upper rows pass down beside the lower ones.
    func pitch(groupsPerRow perRow: Int) -> Int {
        let groups = self.groups
        let perRow = max(1, perRow)
        var pitch = 0
        for slot in 0..<min(perRow, groups.count) {
            let inSlot = stride(from: slot, to: groups.count, by: perRow).map { groups[$0] }
            let content = inSlot.map(contentWidth).max() ?? 0
            let channel = inSlot.map(channelWidth).reduce(0, +) - Self.minimumChannel * (inSlot.count - 1)
            pitch = max(pitch, content + channel)
        }
        return pitch
    }

    /// The frame width for `perRow` groups per row at `pitch`.
    static func frameWidth(groupsPerRow perRow: Int, pitch: Int) -> Int {
        1 + sideMargin + perRow * pitch + 1
    }

    // MARK: Drawing

    func draw(width: Int, pitch: Int, groupsPerRow: Int, minimumHeight: Int) -> HostDrawing {
        var drawing = HostDrawing(role: role, frame: SceneFrame(
            key: ComponentID.host(role).description,
            rect: GridRect(x: 0, y: 0, width: width, height: minimumHeight),
            title: "\(role.rawValue.uppercased()) QEMU" + markers.suffix(.host(role)),
            stroke: highlight == .host(role) ? .heavy : .double
        ))
        let groups = self.groups
        let perRow = max(1, groupsPerRow)
        var top = Self.contentTop
        var bottom = top
        var start = 0
        while start < groups.count {
            let row = Array(groups[start..<min(start + perRow, groups.count)])
            for (slot, group) in row.enumerated() {
                let left = 1 + Self.sideMargin + slot * pitch
                let groupBottom = drawGroup(group, left: left, top: top, frameWidth: width, pitch: pitch, into: &drawing)
                bottom = max(bottom, groupBottom)
            }
            top = bottom + 1 + Self.groupRowGap
            start += perRow
        }
        var y = bottom + 2
        for footnote in host.footnotes {
            let marker = footnote.component.map { markers.suffix($0) } ?? ""
            for line in TextWrapping.wrap(footnote.text + marker, width: width - 2 * (Self.sideMargin + 1), indent: "  ") {
                drawing.texts.append(SceneText(line, at: GridPoint(x: 1 + Self.sideMargin, y: y)))
                y += 1
            }
        }
        let lastRow = host.footnotes.isEmpty ? bottom : y - 1
        drawing.frame.rect.height = max(minimumHeight, lastRow + 3)
        return drawing
    }

    /// Draws one group with its left edge (facing right) at `left`; returns its lowest row.
    private func drawGroup(
        _ group: HostGroup,
        left: Int,
        top: Int,
        frameWidth: Int,
        pitch: Int,
        into drawing: inout HostDrawing
    ) -> Int {
        let chainX = mirrored(left, width: metrics.filterBoxWidth, frameWidth: frameWidth)
        let netdevTop = top
        let firstRowTop = netdevTop + metrics.netdevBoxHeight + Self.laneGap
        let rowPitch = metrics.filterBoxHeight + Self.laneGap
        let guestTop = firstRowTop + filterRows * rowPitch
        var portRows: [(port: FigurePort, y: Int)] = []
        var guestRect = GridRect(x: chainX, y: guestTop, width: metrics.filterBoxWidth, height: 5)

        if let chainIndex = group.chain {
            let chain = host.chains[chainIndex]
            let netdevBox = SceneBox(
                key: ComponentID.netdev(role, id: chain.netdev.id).description,
                rect: GridRect(x: chainX, y: netdevTop, width: metrics.filterBoxWidth, height: metrics.netdevBoxHeight),
                lines: BoxContents.netdevLines(chain, role: role, markers: markers, width: metrics.filterInnerWidth).map { SceneBoxLine($0) },
                stroke: stroke(.netdev(role, id: chain.netdev.id))
            )
            drawing.boxes.append(netdevBox)
            var above = netdevBox.rect
            for (row, filter) in chain.filters.enumerated() {
                let rect = GridRect(x: chainX, y: firstRowTop + row * rowPitch, width: metrics.filterBoxWidth, height: metrics.filterBoxHeight)
                let box = filterBox(filter, rect: rect)
                drawing.boxes.append(box)
                for (port, scenePort) in zip(filter.ports, box.ports) {
                    portRows.append((port, rect.y + scenePort.offset))
                }
                drawing.wires += lanes(between: above, and: rect)
                if row == 0 { drawing.texts += laneLabels(below: above) }
                above = rect
            }
            let guest = guestBox(chain: chain, column: chainIndex, at: GridPoint(x: chainX, y: guestTop))
            guestRect = guest.box.rect
            drawing.boxes.append(guest.box)
            drawing.texts += guest.texts
            if !chain.nics.isEmpty {
                drawing.wires += lanes(between: above, and: guestRect)
                if chain.filters.isEmpty { drawing.texts += laneLabels(below: above) }
            }
        } else {
            let guest = guestBox(chain: nil, column: 0, at: GridPoint(x: chainX, y: guestTop))
            guestRect = guest.box.rect
            drawing.boxes.append(guest.box)
            drawing.texts += guest.texts
        }

        var bottom = guestRect.maxY
        var compareTop: Int
        let compareX: Int
        switch mode {
        case .beside:
            compareTop = firstRowTop
            compareX = mirrored(left + metrics.filterBoxWidth + Self.compareGap, width: metrics.compareBoxWidth, frameWidth: frameWidth)
        case .below:
            compareTop = guestRect.maxY + 2
            compareX = left + 2
        }
        for index in group.compares {
            let box = compareBox(host.compares[index], x: compareX, top: &compareTop, portRows: portRows)
            drawing.boxes.append(box)
            bottom = max(bottom, box.rect.maxY)
        }
        return bottom
    }

    /// Mirrors a left edge when the host faces left, so its groups run from the right.
    private func mirrored(_ x: Int, width: Int, frameWidth: Int) -> Int {
        facing == .right ? x : frameWidth - x - width
    }

    // MARK: Boxes

    private func filterBox(_ filter: FigureFilter, rect: GridRect) -> SceneBox {
        let id = filter.filter.id
        var lines = [
            SceneBoxLine(BoxContents.filterTitle(filter, role: role, markers: markers)),
            SceneBoxLine(filter.filter.kind.typeName),
        ]
        let settings = BoxContents.settings(filter.filter, width: metrics.filterInnerWidth)
        lines += settings.map { SceneBoxLine($0) }
        lines += Array(repeating: SceneBoxLine(""), count: max(0, metrics.settingsLines - settings.count))
        lines.append(BoxContents.actions(filter))
        var ports: [ScenePort] = []
        for port in filter.ports {
            let side = portSide(port)
            let text = highlighted(port.component, BoxContents.portText(port, markers: markers))
            ports.append(ScenePort(name: port.name, side: side, offset: lines.count + 1))
            for row in BoxContents.portRows(text, width: metrics.filterInnerWidth) {
                lines.append(side == .left ? SceneBoxLine(row) : SceneBoxLine("", right: row))
            }
        }
        return SceneBox(key: ComponentID.filter(role, id: id).description, rect: rect, lines: lines,
                        stroke: stroke(.filter(role, id: id)), ports: ports)
    }

    private func compareBox(
        _ compare: FigureCompare,
        x: Int,
        top: inout Int,
        portRows: [(port: FigurePort, y: Int)]
    ) -> SceneBox {
        // Ports toward this host's filters first, ordered like their peers so pipes do not cross.
        let local = compare.ports.filter { isLocalFilterPeer($0) }
            .map { port in (port: port, peerY: peerRow(of: port, in: portRows)) }
            .sorted { ($0.peerY ?? Int.max) < ($1.peerY ?? Int.max) }
        let ordered = local.map(\.port) + compare.ports.filter { !isLocalFilterPeer($0) }
        let firstPort = 3
        var y = max(top, Self.contentTop)
        if case .beside = mode, let firstPeer = local.first?.peerY {
            y = max(y, firstPeer - firstPort)
        }
        var lines = [
            SceneBoxLine(BoxContents.compareTitle(compare, role: role, markers: markers)),
            SceneBoxLine(BoxContents.compareThread(compare)),
        ]
        var ports: [ScenePort] = []
        for port in ordered {
            let side = portSide(port)
            let text = highlighted(port.component, BoxContents.comparePortText(port, markers: markers))
            ports.append(ScenePort(name: port.name, side: side, offset: lines.count + 1))
            for row in BoxContents.portRows(text, width: metrics.compareInnerWidth) {
                lines.append(side == .left ? SceneBoxLine(row) : SceneBoxLine("", right: row))
            }
        }
        let rect = GridRect(x: x, y: y, width: metrics.compareBoxWidth, height: 2 + lines.count)
        top = rect.maxY + 2
        return SceneBox(key: ComponentID.compare(role, id: compare.compare.id).description, rect: rect, lines: lines,
                        stroke: stroke(.compare(role, id: compare.compare.id)), ports: ports)
    }

    /// The guest's side of one netdev: the NICs that are its peer (and, in the first column, the
    /// NICs without a netdev).
    private func guestBox(chain: FigureChain?, column: Int, at origin: GridPoint) -> (box: SceneBox, texts: [SceneText]) {
        var lines: [String] = []
        let count = host.chains.count
        lines.append((count > 1 ? "guest VM (\(column + 1) of \(count) NICs)" : "guest VM") + markers.suffix(.guest(role)))
        if let chain {
            if chain.nics.isEmpty {
                lines.append("no NIC on \(chain.netdev.id)")
            }
            for entry in chain.nics {
                lines.append(highlighted(.nic(role, index: entry.index), BoxContents.nicLine(entry.nic, index: entry.index, role: role, markers: markers)))
                if let mac = entry.nic.mac { lines.append("mac \(mac)") }
            }
        }
        if column == 0 {
            for index in host.looseNICs where host.nics.indices.contains(index) {
                let nic = host.nics[index]
                lines.append(BoxContents.nicLine(nic, index: index, role: role, markers: markers))
                lines.append(nic.netdev.map { "netdev=\($0) does not exist" } ?? "no netdev=")
            }
        }
        let wrapped = lines.flatMap { TextWrapping.wrap($0, width: metrics.filterInnerWidth) }
        let guestHighlighted = highlight == .guest(role) || chain?.nics.contains { highlight == .nic(role, index: $0.index) } == true
        let box = SceneBox(
            key: ComponentID.guest(role).description + (column == 0 ? "" : "#\(column)"),
            rect: GridRect(x: origin.x, y: origin.y, width: metrics.filterBoxWidth, height: 2 + max(3, wrapped.count)),
            lines: wrapped.map { SceneBoxLine($0) },
            stroke: guestHighlighted ? .heavy : .light
        )
        return (box, [])
    }

    // MARK: Lanes

    /// The tx lane (down, left) and the rx lane (up, right) between two stacked boxes.
    private func lanes(between upper: GridRect, and lower: GridRect) -> [SceneWire] {
        let tx = upper.x + 2
        let rx = upper.maxX - 2
        return [
            SceneWire(points: [GridPoint(x: tx, y: upper.maxY), GridPoint(x: tx, y: lower.y - 1)], arrowAtEnd: true),
            SceneWire(points: [GridPoint(x: rx, y: lower.y), GridPoint(x: rx, y: upper.maxY + 1)], arrowAtEnd: true),
        ]
    }

    private func laneLabels(below upper: GridRect) -> [SceneText] {
        let y = upper.maxY + 2
        return [
            SceneText("tx", at: GridPoint(x: upper.x + 4, y: y)),
            SceneText("rx", at: GridPoint(x: upper.maxX - 5, y: y)),
        ]
    }

    // MARK: Ports

    /// A compare port whose pipe leads to a filter of this host.
    private func isLocalFilterPeer(_ port: FigurePort) -> Bool {
        guard port.role.isCompare, let peer = model.peerPort(of: port) else { return false }
        return peer.host == role && !peer.role.isCompare
    }

    /// Ports face the other host (or the channel, when stacked), except, beside a column, a
    /// compare's ports toward this host's own filters.
    func portSide(_ port: FigurePort) -> GridDirection {
        if case .beside = mode, isLocalFilterPeer(port) { return facing.opposite }
        return facing
    }

    private func peerRow(of port: FigurePort, in rows: [(port: FigurePort, y: Int)]) -> Int? {
        guard let peer = model.peerPort(of: port) else { return nil }
        return rows.first { $0.port == peer }?.y
    }

    // MARK: Highlight

    private func stroke(_ component: ComponentID) -> LineStroke {
        highlight == component ? .heavy : .light
    }

    private func highlighted(_ component: ComponentID, _ text: String) -> String {
        highlight == component ? "*" + text : text
    }
}

extension FigureModel {
    /// The port at the other end of a port's pipe.
    func peerPort(of port: FigurePort) -> FigurePort? {
        let endpoint = ChardevEndpoint(host: port.host, chardev: port.chardev)
        guard let pipe = pipes.first(where: { $0.from == endpoint || $0.to == endpoint }) else { return nil }
        return self.port(of: pipe.from == endpoint ? pipe.to : pipe.from)
    }
}
