import Fabric
import Primary
import Deployment
import COLORuntime

/// How many records each compare queue holds over a run, rebuilt from the log: a primary record
/// joins when a redirector writes it into the compare's primary_in and leaves when released or
/// dropped; a secondary record likewise through secondary_in.
public struct QueueDepths: Sendable, Hashable {
    public struct Sample: Sendable, Hashable {
        public var time: VirtualTime
        public var primary: Int
        public var secondary: Int
    }

    public var samples: [Sample]

    public init(entries: [RunLogEntry], topology: Topology) {
        let compares = topology.primary.compares
        let primaryInputs = compares.compactMap(\.primaryIn).compactMap { Self.writer(of: $0, topology: topology) }
        let secondaryInputs = compares.compactMap(\.secondaryIn).compactMap { Self.writer(of: $0, topology: topology) }
        var primary = 0, secondary = 0
        var samples: [Sample] = [Sample(time: .zero, primary: 0, secondary: 0)]
        for entry in entries {
            switch entry.event {
            case .net(.filterStole(_, _, _, _, let output)):
                guard let host = entry.host else { continue }
                let chardev = output.destination.replacingChardevPrefix
                let endpoint = ChardevEndpoint(host: host, chardev: chardev)
                if primaryInputs.contains(endpoint) { primary += 1 } else if secondaryInputs.contains(endpoint) { secondary += 1 } else { continue }
            case .compare(.release):
                primary = max(0, primary - 1)
            case .compare(.drop(let drop)):
                if drop.side == .primary { primary = max(0, primary - 1) } else { secondary = max(0, secondary - 1) }
            default:
                continue
            }
            samples.append(Sample(time: entry.time, primary: primary, secondary: secondary))
        }
        self.samples = samples
    }

    /// The chardev endpoint whose writes arrive on the compare input `chardev` of the primary.
    static func writer(of chardev: String, topology: Topology) -> ChardevEndpoint? {
        for link in topology.links {
            if link.server.host == .primary, link.server.chardev == chardev { return link.client }
            if link.client.host == .primary, link.client.chardev == chardev { return link.server }
        }
        return nil
    }

    public var maximum: Int { samples.map { max($0.primary, $0.secondary) }.max() ?? 0 }

    /// A step chart of both depths, `width` by `height` pixels plus axes; the primary line is
    /// drawn last so it stays visible where the two coincide.
    public func svg(width: Int = 900, height: Int = 200, end: VirtualTime) -> String {
        let left = 50, top = 10, bottom = 30
        let span = max(1, end.nanoseconds)
        let topValue = max(1, maximum)
        func x(_ time: VirtualTime) -> Int { left + Int(Int64(width) * time.nanoseconds / span) }
        func y(_ depth: Int) -> Int { top + height - height * depth / topValue }
        func path(_ depth: (Sample) -> Int) -> String {
            // Per pixel column: the largest depth in it (so peaks show) and the last (the level
            // carried on to the next column). Keeps the chart small for long runs.
            var columns: [(x: Int, peak: Int, last: Int)] = []
            for sample in samples {
                let column = x(sample.time), value = depth(sample)
                if let last = columns.last, last.x == column {
                    columns[columns.count - 1] = (column, max(last.peak, value), value)
                } else {
                    columns.append((column, value, value))
                }
            }
            var points: [String] = []
            var previous = y(0)
            for column in columns {
                points.append("\(column.x),\(previous)")
                points.append("\(column.x),\(y(column.peak))")
                previous = y(column.last)
                points.append("\(column.x),\(previous)")
            }
            points.append("\(left + width),\(previous)")
            return points.joined(separator: " ")
        }
        let total = width + left + 20, totalHeight = height + top + bottom
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(total)" height="\(totalHeight)" font-family="monospace" font-size="11">
            <line x1="\(left)" y1="\(top)" x2="\(left)" y2="\(top + height)" stroke="#333"/>
            <line x1="\(left)" y1="\(top + height)" x2="\(left + width)" y2="\(top + height)" stroke="#333"/>
            <text x="\(left - 6)" y="\(top + 10)" text-anchor="end">\(topValue)</text>
            <text x="\(left - 6)" y="\(top + height)" text-anchor="end">0</text>
            <text x="\(left)" y="\(top + height + 16)">+0s</text>
            <text x="\(left + width)" y="\(top + height + 16)" text-anchor="end">\(FrameWalkText.time(end))</text>
            <polyline fill="none" stroke="#bc4c00" stroke-width="1.5" points="\(path(\.secondary))"/>
            <polyline fill="none" stroke="#0969da" stroke-width="1.5" points="\(path(\.primary))"/>
            <text x="\(left + 10)" y="\(top + height + 28)" fill="#0969da">primary queue</text>
            <text x="\(left + 160)" y="\(top + height + 28)" fill="#bc4c00">secondary queue</text>
            </svg>

            """
    }
}
