import Deployment

/// The text inside each kind of box, and the sizes shared by all boxes of a figure (equal
/// sizes keep the two hosts' rows aligned, so most pipes run straight).
struct FigureMetrics: Sendable, Hashable {
    static let maximumInnerWidth = 40
    static let minimumInnerWidth = 20

    var filterInnerWidth: Int
    /// Lines of settings (`queue=tx`, `position=...`) in the tallest filter box.
    var settingsLines: Int
    /// Ports of the filter with the most chardevs (at least one line is kept).
    var portLines: Int
    /// Filters in the longest list, over both hosts.
    var filterRows: Int
    var netdevLines: Int
    var compareInnerWidth: Int

    var filterBoxWidth: Int { filterInnerWidth + 4 }
    var compareBoxWidth: Int { compareInnerWidth + 4 }
    /// Border, title, kind, settings, lane actions, ports, border.
    var filterBoxHeight: Int { 2 + 2 + settingsLines + 1 + portLines }
    var netdevBoxHeight: Int { 2 + netdevLines }

    init(model: FigureModel, markers: FigureMarkers) {
        var filterWidth = Self.minimumInnerWidth
        var rows = 0
        var netdevLines = 2
        var compareWidth = Self.minimumInnerWidth
        for host in model.hosts {
            for chain in host.chains {
                rows = max(rows, chain.filters.count)
                let netdev = BoxContents.netdevLines(chain, role: host.role, markers: markers, width: Self.maximumInnerWidth)
                netdevLines = max(netdevLines, netdev.count)
                filterWidth = max(filterWidth, netdev.map(\.count).max() ?? 0)
                for filter in chain.filters {
                    filterWidth = max(filterWidth, BoxContents.filterTextWidths(filter, role: host.role, markers: markers))
                }
                for nic in chain.nics {
                    filterWidth = max(filterWidth, BoxContents.nicLine(nic.nic, index: nic.index, role: host.role, markers: markers).count + 1)
                    filterWidth = max(filterWidth, nic.nic.mac.map { "mac \($0)".count } ?? 0)
                }
                if host.chains.count > 1 {
                    filterWidth = max(filterWidth, "guest VM (9 of 9 NICs)".count + markers.suffix(.guest(host.role)).count)
                }
            }
            for compare in host.compares {
                compareWidth = max(compareWidth, BoxContents.compareTextWidth(compare, role: host.role, markers: markers))
            }
        }
        let innerWidth = min(filterWidth, Self.maximumInnerWidth)
        var settings = 1
        var ports = 1
        for filter in model.hosts.flatMap({ $0.chains.flatMap(\.filters) }) {
            settings = max(settings, BoxContents.settings(filter.filter, width: innerWidth).count)
            let portRows = filter.ports.map { BoxContents.portRows(BoxContents.portText($0, markers: markers), width: innerWidth).count }
            ports = max(ports, portRows.reduce(0, +))
        }
        filterInnerWidth = innerWidth
        settingsLines = settings
        portLines = ports
        filterRows = rows
        self.netdevLines = netdevLines
        compareInnerWidth = min(compareWidth, Self.maximumInnerWidth)
    }
}

enum BoxContents {
    // MARK: Filters

    static func filterTitle(_ filter: FigureFilter, role: HostRole, markers: FigureMarkers) -> String {
        "#\(filter.position) \(filter.filter.id)" + markers.suffix(.filter(role, id: filter.filter.id))
    }

    /// `queue=tx` and every setting that differs from QEMU's default, packed into lines.
    static func settings(_ filter: FilterConfiguration, width: Int) -> [String] {
        var items = ["queue=\(filter.queue)"]
        if filter.status == .off { items.append("status=off") }
        switch filter.position {
        case .tail: break
        case .head: items.append("position=head")
        case .filter(let target):
            items.append("position=id=\(target)")
            items.append("insert=\(filter.insert)")
        }
        if filter.vnetHeaderSupport { items.append("vnet_hdr_support=on") }
        if let file = filter.file { items.append("file=\(file)") }
        if let maxlen = filter.maxlen { items.append("maxlen=\(maxlen)") }
        if let interval = filter.interval { items.append("interval=\(interval)") }
        var lines: [String] = []
        for item in items {
            if let last = lines.last, last.count + 2 + item.count <= width {
                lines[lines.count - 1] = last + ", " + item
            } else {
                lines.append(contentsOf: TextWrapping.wrap(item, width: width))
            }
        }
        return lines
    }

    static func actions(_ filter: FigureFilter) -> SceneBoxLine {
        SceneBoxLine("tx: \(filter.tx.rawValue)", right: "rx: \(filter.rx.rawValue)")
    }

    static func portText(_ port: FigurePort, markers: FigureMarkers) -> String {
        port.label + markers.suffix(port.component)
    }

    /// A port's text in rows of at most `width`: one row when it fits, else the property on
    /// the port's row and the chardev id below it, so no id is ever cut off.
    static func portRows(_ text: String, width: Int) -> [String] {
        guard text.count > width else { return [text] }
        guard let equals = text.firstIndex(of: "=") else { return TextWrapping.wrap(text, width: width) }
        let property = String(text[...equals])
        let rest = String(text[text.index(after: equals)...])
        return [property] + TextWrapping.wrap(rest, width: width)
    }

    /// The widest line a filter box needs.
    static func filterTextWidths(_ filter: FigureFilter, role: HostRole, markers: FigureMarkers) -> Int {
        var widths = [filterTitle(filter, role: role, markers: markers).count, filter.filter.kind.typeName.count, actions(filter).width + 2]
        widths += settings(filter.filter, width: FigureMetrics.maximumInnerWidth).map(\.count)
        // One more column for the `*` a highlighted port gets.
        widths += filter.ports.map { portText($0, markers: markers).count + 1 }
        return widths.max() ?? 0
    }

    // MARK: Netdevs and NICs

    static func netdevLines(_ chain: FigureChain, role: HostRole, markers: FigureMarkers, width: Int) -> [String] {
        let netdev = chain.netdev
        var lines = ["netdev \(netdev.id)" + markers.suffix(.netdev(role, id: netdev.id))]
        var kind = netdev.kind == .tap || netdev.kind == .bridge ? "\(netdev.kind), to the network" : "\(netdev.kind) (host side)"
        if netdev.vhost { kind += ", vhost=on" }
        lines.append(kind)
        if let queues = netdev.queues, queues > 1 { lines.append("queues=\(queues)") }
        return lines.flatMap { TextWrapping.wrap($0, width: width) }
    }

    static func nicLine(_ nic: NICConfiguration, index: Int, role: HostRole, markers: FigureMarkers) -> String {
        let name = nic.id.map { "NIC \($0) (\(nic.model))" } ?? "NIC \(nic.model), no id"
        return name + markers.suffix(.nic(role, index: index))
    }

    // MARK: colo-compare

    static func compareTitle(_ compare: FigureCompare, role: HostRole, markers: FigureMarkers) -> String {
        "colo-compare \(compare.compare.id)" + markers.suffix(.compare(role, id: compare.compare.id))
    }

    static func compareThread(_ compare: FigureCompare) -> String {
        compare.compare.iothread.map { "iothread=\($0)" } ?? "no iothread"
    }

    static func comparePortText(_ port: FigurePort, markers: FigureMarkers) -> String {
        var text = portText(port, markers: markers)
        if case .compareNotifyDev = port.role { text += " (Xen)" }
        return text
    }

    static func compareTextWidth(_ compare: FigureCompare, role: HostRole, markers: FigureMarkers) -> Int {
        let widths = [compareTitle(compare, role: role, markers: markers).count, compareThread(compare).count]
            + compare.ports.map { comparePortText($0, markers: markers).count + 1 }
        return widths.max() ?? 0
    }
}
