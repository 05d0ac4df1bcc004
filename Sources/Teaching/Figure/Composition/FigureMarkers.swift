/// The note markers (`!1`, `i2`) drawn next to each component. A note whose component has no
/// place in the drawing goes to its host's frame title.
struct FigureMarkers: Sendable, Hashable {
    private var entries: [(component: ComponentID, markers: [String])] = []
    /// Notes that name no host.
    private(set) var general: [String] = []

    init(notes: [FigureNote], drawn: [ComponentID]) {
        for note in notes {
            guard let component = note.component else {
                general.append(note.marker)
                continue
            }
            let target = drawn.contains(component) ? component : .host(component.host)
            if let index = entries.firstIndex(where: { $0.component == target }) {
                entries[index].markers.append(note.marker)
            } else {
                entries.append((target, [note.marker]))
            }
        }
    }

    /// ` !1 i2`, or an empty string.
    func suffix(_ component: ComponentID) -> String {
        let markers = entries.first { $0.component == component }?.markers ?? []
        return markers.isEmpty ? "" : " " + markers.joined(separator: " ")
    }

    static func == (lhs: FigureMarkers, rhs: FigureMarkers) -> Bool {
        lhs.general == rhs.general && lhs.entries.map(\.component) == rhs.entries.map(\.component)
            && lhs.entries.map(\.markers) == rhs.entries.map(\.markers)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(general)
        hasher.combine(entries.map(\.component))
        hasher.combine(entries.map(\.markers))
    }
}

extension FigureModel {
    /// Every component that has a place in the drawing (a box, a port, a line of text).
    var drawnComponents: [ComponentID] {
        var drawn: [ComponentID] = []
        for host in hosts {
            drawn.append(.host(host.role))
            drawn.append(.guest(host.role))
            for chain in host.chains {
                drawn.append(.netdev(host.role, id: chain.netdev.id))
                drawn.append(contentsOf: chain.nics.map { .nic(host.role, index: $0.index) })
                drawn.append(contentsOf: chain.filters.map { .filter(host.role, id: $0.filter.id) })
            }
            drawn.append(contentsOf: host.looseNICs.map { .nic(host.role, index: $0) })
            drawn.append(contentsOf: host.compares.map { .compare(host.role, id: $0.compare.id) })
            drawn.append(contentsOf: host.ports.map(\.component))
            drawn.append(contentsOf: host.footnotes.compactMap(\.component))
        }
        drawn.append(contentsOf: pipes.map(\.component))
        return drawn
    }
}
