/// The drawn scene: one string per row, plus what could not be drawn.
public struct SceneRendering: Sendable, Hashable {
    public var lines: [String]
    /// Keys of links no path was found for (drawn as labelled stubs instead).
    public var unroutedLinks: [String]
}

/// Draws a `Scene` onto a canvas: frames, boxes with their text, wires and texts first, then
/// pipes one by one (each routed around everything drawn before it), then pipe labels.
enum SceneRenderer {
    static func render(_ scene: Scene, glyphs: GlyphSet) -> SceneRendering {
        var canvas = CharacterCanvas(width: scene.width, height: scene.height)
        for frame in scene.frames {
            canvas.drawRectangle(frame.rect, stroke: frame.stroke, frame: true)
            if !frame.title.isEmpty {
                canvas.write(" \(glyphs.plain(frame.title)) ", at: GridPoint(x: frame.rect.x + 2, y: frame.rect.y))
            }
        }
        for box in scene.boxes {
            draw(box, on: &canvas, glyphs: glyphs)
        }
        for wire in scene.wires {
            canvas.drawPolyline(wire.points, stroke: wire.stroke)
            if wire.arrowAtEnd, let last = wire.points.last, wire.points.count > 1,
               let heading = CharacterCanvas.direction(toward: last, from: wire.points[wire.points.count - 2]) {
                canvas.putArrow(heading, at: last)
            }
        }
        for text in scene.texts {
            canvas.write(glyphs.plain(text.text), at: text.point)
        }
        var unrouted: [String] = []
        var routed: [(link: SceneLink, path: [GridPoint])] = []
        var router = PipeRouter(canvas: canvas)
        for link in scene.links {
            guard let path = route(link, in: scene, on: &canvas, router: router) else {
                unrouted.append(link.key)
                continue
            }
            router.update(around: path, from: canvas)
            routed.append((link, path))
        }
        for (link, path) in routed {
            if let label = link.label {
                placeLabel(glyphs.plain(label), along: path, on: &canvas)
            }
        }
        return SceneRendering(lines: canvas.render(glyphs), unroutedLinks: unrouted)
    }

    private static func draw(_ box: SceneBox, on canvas: inout CharacterCanvas, glyphs: GlyphSet) {
        canvas.drawRectangle(box.rect, stroke: box.stroke)
        canvas.makeSolid(box.rect)
        let innerWidth = box.rect.width - 4
        for (row, line) in box.lines.enumerated() where row < box.rect.height - 2 {
            let y = box.rect.y + 1 + row
            canvas.write(String(glyphs.plain(line.left).prefix(innerWidth)), at: GridPoint(x: box.rect.x + 2, y: y))
            if !line.right.isEmpty {
                let right = String(glyphs.plain(line.right).prefix(innerWidth))
                canvas.write(right, at: GridPoint(x: box.rect.maxX - 1 - right.count, y: y))
            }
        }
    }

    private static func route(
        _ link: SceneLink,
        in scene: Scene,
        on canvas: inout CharacterCanvas,
        router: PipeRouter
    ) -> [GridPoint]? {
        guard let fromBox = scene.box(link.from.box), let fromPort = fromBox.port(link.from.port),
              let toBox = scene.box(link.to.box), let toPort = toBox.port(link.to.port)
        else { return nil }
        let fromBorder = fromBox.borderCell(of: fromPort)
        let toBorder = toBox.borderCell(of: toPort)
        let start = fromBorder.moved(fromPort.side)
        let end = toBorder.moved(toPort.side)
        guard let path = router.route(from: start, heading: fromPort.side, to: end, arriving: toPort.side.opposite)
        else { return nil }
        canvas.connect(fromBorder, start, stroke: link.stroke)
        canvas.drawPolyline(path, stroke: link.stroke)
        if link.arrowAtEnd {
            canvas.clearLines(at: end)
            canvas.putArrow(toPort.side.opposite, at: end)
        } else {
            canvas.connect(end, toBorder, stroke: link.stroke)
        }
        return path
    }

    /// Writes ` label ` over the middle of the pipe's longest plain horizontal stretch, if the
    /// stretch leaves at least two line cells on each side.
    private static func placeLabel(_ label: String, along path: [GridPoint], on canvas: inout CharacterCanvas) {
        var bestRun: [GridPoint] = []
        var run: [GridPoint] = []
        for point in path.dropFirst().dropLast() {
            let arms = canvas.lineArms(at: point)
            let plain = canvas.mark(at: point) == nil && arms.isStraight(along: .left)
            if plain, let last = run.last, last.y == point.y, abs(last.x - point.x) == 1 {
                run.append(point)
            } else {
                run = plain ? [point] : []
            }
            if run.count > bestRun.count { bestRun = run }
        }
        let text = " \(label) "
        guard bestRun.count >= text.count + 4 else { return }
        let leftmost = bestRun.map(\.x).min() ?? 0
        let x = leftmost + (bestRun.count - text.count) / 2
        canvas.write(text, at: GridPoint(x: x, y: bestRun[0].y))
    }
}
