import Deployment

/// Arranges the two hosts (side by side when both fit the width, the primary above the
/// secondary otherwise) and the pipes between their ports into one `Scene`.
struct FigureComposer {
    let model: FigureModel
    let markers: FigureMarkers
    let metrics: FigureMetrics
    let highlight: ComponentID?
    let glyphs: GlyphSet
    let maximumWidth: Int

    enum Arrangement: Sendable, Hashable {
        case sideBySide
        case stacked
    }

    static let titleRows = 2

    private var crossPipes: Int {
        model.pipes.filter { $0.from.host != $0.to.host }.count
    }

    private var gutter: Int { max(4, crossPipes + 2) }

    private func layout(_ role: HostRole, _ mode: HostLayout.Mode) -> HostLayout {
        let rows: Int
        switch mode {
        case .beside: rows = metrics.filterRows
        case .below: rows = model[role].chains.map(\.filters.count).max() ?? 0
        }
        return HostLayout(host: model[role], model: model, metrics: metrics, markers: markers, highlight: highlight,
                          mode: mode, filterRows: rows)
    }

    /// Side by side needs every group of a host in one row, both hosts within the width.
    private func sideBySideWidths() -> (primary: Int, secondary: Int)? {
        let primary = layout(.primary, .beside(facing: .right))
        let secondary = layout(.secondary, .beside(facing: .left))
        let widths = (
            HostLayout.frameWidth(groupsPerRow: primary.groups.count, pitch: primary.pitch(groupsPerRow: primary.groups.count)),
            HostLayout.frameWidth(groupsPerRow: secondary.groups.count, pitch: secondary.pitch(groupsPerRow: secondary.groups.count))
        )
        return widths.0 + gutter + widths.1 <= maximumWidth ? widths : nil
    }

    func arrangement() -> Arrangement {
        sideBySideWidths() == nil ? .stacked : .sideBySide
    }

    func scene(title: String) -> Scene {
        var drawings: [HostDrawing]
        if let widths = sideBySideWidths() {
            let primary = layout(.primary, .beside(facing: .right))
            let secondary = layout(.secondary, .beside(facing: .left))
            func draw(height: Int) -> [HostDrawing] {
                let primaryPitch = primary.pitch(groupsPerRow: primary.groups.count)
                let secondaryPitch = secondary.pitch(groupsPerRow: secondary.groups.count)
                return [primary.draw(width: widths.primary, pitch: primaryPitch, groupsPerRow: primary.groups.count, minimumHeight: height),
                        secondary.draw(width: widths.secondary, pitch: secondaryPitch, groupsPerRow: secondary.groups.count, minimumHeight: height)]
            }
            drawings = draw(height: draw(height: 0).map(\.height).max() ?? 0)
            drawings[0].shift(dx: 0, dy: Self.titleRows)
            drawings[1].shift(dx: widths.primary + gutter, dy: Self.titleRows)
        } else {
            // Both hosts use one pitch, so a primary group sits right above its secondary peer.
            let primary = layout(.primary, .below)
            let secondary = layout(.secondary, .below)
            let (perRow, pitch) = stackedGrid(primary, secondary)
            let width = HostLayout.frameWidth(groupsPerRow: perRow, pitch: pitch)
            drawings = [primary.draw(width: width, pitch: pitch, groupsPerRow: perRow, minimumHeight: 0),
                        secondary.draw(width: width, pitch: pitch, groupsPerRow: perRow, minimumHeight: 0)]
            drawings[0].shift(dx: 0, dy: Self.titleRows)
            drawings[1].shift(dx: 0, dy: Self.titleRows + drawings[0].height + crossPipes + 2)
        }
        let width = drawings.map { $0.frame.rect.maxX + 1 }.max() ?? 0
        let height = drawings.map { $0.frame.rect.maxY + 1 }.max() ?? 0
        var scene = Scene(width: max(width, 1), height: height + 1)
        for line in TextWrapping.wrap(title, width: maximumWidth, indent: "  ").prefix(Self.titleRows - 1).enumerated() {
            scene.texts.append(SceneText(line.element, at: GridPoint(x: 0, y: line.offset)))
        }
        for drawing in drawings {
            scene.frames.append(drawing.frame)
            scene.boxes += drawing.boxes
            scene.wires += drawing.wires
            scene.texts += drawing.texts
        }
        scene.links = links(in: scene)
        return scene
    }

    /// The most groups per row that fit the width (at least one), and the pitch for it; both
    /// hosts share the pitch so a primary group sits right above its secondary peer.
    private func stackedGrid(_ primary: HostLayout, _ secondary: HostLayout) -> (perRow: Int, pitch: Int) {
        var perRow = max(1, max(primary.groups.count, secondary.groups.count))
        while true {
            let pitch = max(primary.pitch(groupsPerRow: perRow), secondary.pitch(groupsPerRow: perRow))
            if perRow == 1 || HostLayout.frameWidth(groupsPerRow: perRow, pitch: pitch) <= maximumWidth {
                return (perRow, pitch)
            }
            perRow -= 1
        }
    }

    /// One link per pipe whose two ends are drawn ports, shortest first so the simple pipes
    /// get the straight paths.
    private func links(in scene: Scene) -> [SceneLink] {
        var candidates: [(link: SceneLink, distance: Int, order: Int)] = []
        for (order, pipe) in model.pipes.enumerated() {
            guard let from = reference(pipe.from, in: scene), let to = reference(pipe.to, in: scene) else { continue }
            let arrow = pipe.directed ? glyphs.textArrow : glyphs.textBothWays
            let heavy = highlight == pipe.component
                || highlight == .chardev(pipe.from.host, id: pipe.from.chardev)
                || highlight == .chardev(pipe.to.host, id: pipe.to.chardev)
            let link = SceneLink(
                key: pipe.component.description,
                from: from.reference,
                to: to.reference,
                arrowAtEnd: pipe.directed,
                label: "\(pipe.from.chardev) \(arrow) \(pipe.to.chardev)",
                stroke: heavy ? .heavy : .light
            )
            let distance = abs(from.point.x - to.point.x) + abs(from.point.y - to.point.y)
            candidates.append((link, distance, order))
        }
        return candidates.sorted { ($0.distance, $0.order) < ($1.distance, $1.order) }.map(\.link)
    }

    private func reference(_ endpoint: ChardevEndpoint, in scene: Scene) -> (reference: ScenePortReference, point: GridPoint)? {
        guard let port = model.port(of: endpoint) else { return nil }
        let owner: ComponentID = port.role.isCompare
            ? .compare(endpoint.host, id: port.role.ownerID)
            : .filter(endpoint.host, id: port.role.ownerID)
        guard let box = scene.box(owner.description), let scenePort = box.port(port.name) else { return nil }
        return (ScenePortReference(box: box.key, port: port.name), box.borderCell(of: scenePort))
    }
}
