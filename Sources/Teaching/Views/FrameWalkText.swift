import Fabric
import Deployment

/// Text forms of a `FrameWalk`: the step list, and each step drawn as the figure with the
/// step's component highlighted.
public enum FrameWalkText {
    /// `+0.000320s` from the run's start: virtual time, microsecond resolution.
    public static func time(_ time: VirtualTime) -> String {
        let microseconds = time.nanoseconds / 1_000
        let fraction = String(microseconds % 1_000_000)
        return "+\(microseconds / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)s"
    }

    /// One line per hop: number, time, component, explanation.
    public static func summary(_ walk: FrameWalk) -> String {
        var lines = [walk.title]
        for (number, hop) in walk.hops.enumerated() {
            lines.append("\(number + 1). \(time(hop.time))  \(hop.component)  \(hop.text)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Hop `number` (0-based) as a screen: header, the highlighted figure, the explanation.
    public static func step(_ walk: FrameWalk, _ number: Int, topology: Topology, style: FigureStyle) -> String {
        let hop = walk.hops[number]
        let figure = FigureRenderer.render(topology, style: style, highlight: hop.component)
        return "== \(walk.title)\n== hop \(number + 1)/\(walk.hops.count)  \(time(hop.time))  \(hop.component)\n"
            + figure + (figure.hasSuffix("\n") ? "" : "\n") + "> \(hop.text)\n"
    }

    /// Every hop, one after the other: the plain-text walk printed when stdout is not a terminal.
    public static func plain(_ walk: FrameWalk, topology: Topology, style: FigureStyle) -> String {
        var text = summary(walk)
        for number in walk.hops.indices {
            text += "\n" + step(walk, number, topology: topology, style: style)
        }
        return text
    }
}
