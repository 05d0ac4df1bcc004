import Deployment

/// A drawn figure: the text, and what the drawing could not place.
public struct FigureDrawing: Sendable, Hashable {
    /// The whole figure, one `\n`-terminated line per row.
    public var text: String
    /// Pipes drawn only in the list because no path was found (empty in all known topologies).
    public var unroutedLinks: [ComponentID]
    /// Every component with a place in the drawing, in model order.
    public var components: [ComponentID]
}

/// Draws the COLO network path of a topology, generated from the model: both hosts, each
/// netdev's filter list in order with queue, walk lanes and chardev ports, colo-compare with its
/// chardevs, the pipes between ports labelled with both chardev ids, then the pipes, walk
/// order, legend and lint findings as text. Fits `maximumWidth` columns; deterministic.
public enum FigureRenderer {
    public static let maximumWidth = 120

    /// Draws a topology (linted through its exported command lines).
    public static func render(_ topology: Topology, style: FigureStyle = .ascii, highlight: ComponentID? = nil) -> String {
        draw(FigureSubject(topology: topology, title: "topology"), style: style, highlight: highlight).text
    }

    public static func render(_ subject: FigureSubject, style: FigureStyle = .ascii, highlight: ComponentID? = nil) -> String {
        draw(subject, style: style, highlight: highlight).text
    }

    public static func draw(_ subject: FigureSubject, style: FigureStyle = .ascii, highlight: ComponentID? = nil) -> FigureDrawing {
        let model = FigureModel(topology: subject.topology)
        let components = model.drawnComponents
        let markers = FigureMarkers(notes: subject.notes, drawn: components)
        let metrics = FigureMetrics(model: model, markers: markers)
        let glyphs = style.glyphs
        let composer = FigureComposer(
            model: model, markers: markers, metrics: metrics, highlight: highlight, glyphs: glyphs,
            maximumWidth: maximumWidth
        )
        var title = glyphs.plain("COLO network path: \(subject.title)")
        if !markers.general.isEmpty { title += " " + markers.general.joined(separator: " ") }
        let scene = composer.scene(title: title)
        let rendering = SceneRenderer.render(scene, glyphs: glyphs)
        let sections = FigureSections(
            model: model, notes: subject.notes, glyphs: glyphs,
            width: maximumWidth, unroutedLinks: rendering.unroutedLinks, omitted: subject.omitted
        )
        var lines = rendering.lines
        while lines.last?.isEmpty == true { lines.removeLast() }
        lines += sections.lines()
        let unrouted = model.pipes.map(\.component).filter { rendering.unroutedLinks.contains($0.description) }
        return FigureDrawing(
            text: lines.joined(separator: "\n") + "\n",
            unroutedLinks: unrouted,
            components: components
        )
    }
}
