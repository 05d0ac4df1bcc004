import Testing
@testable import Deployment
@testable import COLORuntime
@testable import Scenarios
@testable import Teaching

@Suite("Figure layout engine: canvas, glyph sets, pipe router")
struct FigureLayoutTests {
    private func render(_ scene: Scene, _ glyphs: GlyphSet = .unicode) -> [String] {
        SceneRenderer.render(scene, glyphs: glyphs).lines
    }

    @Test("A box with a port renders in ASCII and in Unicode; text stays inside the border")
    func box() {
        var scene = Scene(width: 14, height: 4)
        scene.boxes = [SceneBox(key: "b", rect: GridRect(x: 0, y: 0, width: 12, height: 4),
                                lines: [SceneBoxLine("left", right: "r"), SceneBoxLine("a very long line")])]
        #expect(render(scene, .ascii) == ["+----------+", "| left   r |", "| a very l |", "+----------+"])
        #expect(render(scene) == ["┌──────────┐", "│ left   r │", "│ a very l │", "└──────────┘"])
    }

    @Test("A wire attached to a box border shows a junction and ends in an arrowhead")
    func wireJunction() {
        var scene = Scene(width: 6, height: 6)
        scene.boxes = [SceneBox(key: "b", rect: GridRect(x: 0, y: 0, width: 5, height: 3), lines: [])]
        scene.wires = [SceneWire(points: [GridPoint(x: 2, y: 2), GridPoint(x: 2, y: 5)], arrowAtEnd: true)]
        #expect(render(scene) == ["┌───┐", "│   │", "└─┬─┘", "  │", "  │", "  ▼"])
        #expect(render(scene, .ascii) == ["+---+", "|   |", "+-+-+", "  |", "  |", "  v"])
    }

    @Test("A pipe is routed around a box between its ports, with an arrowhead at the reader")
    func routeAroundBox() {
        var scene = Scene(width: 20, height: 9)
        scene.boxes = [
            SceneBox(key: "a", rect: GridRect(x: 0, y: 3, width: 4, height: 3), lines: [],
                     ports: [ScenePort(name: "out", side: .right, offset: 1)]),
            SceneBox(key: "wall", rect: GridRect(x: 7, y: 1, width: 4, height: 7), lines: []),
            SceneBox(key: "b", rect: GridRect(x: 15, y: 3, width: 4, height: 3), lines: [],
                     ports: [ScenePort(name: "in", side: .left, offset: 1)]),
        ]
        scene.links = [SceneLink(key: "p", from: ScenePortReference(box: "a", port: "out"),
                                 to: ScenePortReference(box: "b", port: "in"), arrowAtEnd: true)]
        let rendering = SceneRenderer.render(scene, glyphs: .unicode)
        #expect(rendering.unroutedLinks.isEmpty)
        let lines = rendering.lines
        #expect(lines[4].hasPrefix("│  ├"))
        #expect(lines[4].contains("▶│"))
        // The path leaves the wall's rows above or below it.
        #expect(lines[0].contains("─") || lines[8].contains("─"))
        #expect(SceneRenderer.render(scene, glyphs: .unicode) == rendering)
    }

    @Test("A pipe crosses a perpendicular line straight (┼) but never runs along it")
    func crossing() {
        var canvas = CharacterCanvas(width: 9, height: 5)
        canvas.drawPolyline([GridPoint(x: 4, y: 0), GridPoint(x: 4, y: 4)], stroke: .light)
        let router = PipeRouter(canvas: canvas)
        let path = router.route(from: GridPoint(x: 0, y: 2), heading: .right, to: GridPoint(x: 8, y: 2), arriving: .right)
        #expect(path?.count == 9)
        #expect(path?.allSatisfy { $0.y == 2 } == true)
        canvas.drawPolyline(path ?? [], stroke: .light)
        #expect(canvas.render(.unicode)[2] == "────┼────")
        // Along the line is refused: the only way from (4,0) down would run on it.
        #expect(router.route(from: GridPoint(x: 3, y: 0), heading: .down, to: GridPoint(x: 3, y: 4), arriving: .down) != nil)
        let along = PipeRouter(canvas: canvas).route(from: GridPoint(x: 0, y: 0), heading: .right, to: GridPoint(x: 8, y: 0), arriving: .right)
        #expect(along?.contains(GridPoint(x: 4, y: 2)) != true)
    }

    @Test("No path through a closed ring of boxes: the link is reported, not drawn")
    func unroutable() {
        var scene = Scene(width: 12, height: 7)
        scene.boxes = [
            SceneBox(key: "inside", rect: GridRect(x: 4, y: 2, width: 3, height: 3), lines: [],
                     ports: [ScenePort(name: "p", side: .right, offset: 1)]),
            SceneBox(key: "ring", rect: GridRect(x: 2, y: 0, width: 8, height: 7), lines: []),
            SceneBox(key: "outside", rect: GridRect(x: 10, y: 2, width: 2, height: 3), lines: [],
                     ports: [ScenePort(name: "q", side: .left, offset: 1)]),
        ]
        scene.links = [SceneLink(key: "trapped", from: ScenePortReference(box: "inside", port: "p"),
                                 to: ScenePortReference(box: "outside", port: "q"), arrowAtEnd: false)]
        #expect(SceneRenderer.render(scene, glyphs: .ascii).unroutedLinks == ["trapped"])
    }

    @Test("A pipe's label is written on its longest straight stretch when it fits")
    func label() {
        var scene = Scene(width: 40, height: 3)
        scene.boxes = [
            SceneBox(key: "a", rect: GridRect(x: 0, y: 0, width: 3, height: 3), lines: [],
                     ports: [ScenePort(name: "o", side: .right, offset: 1)]),
            SceneBox(key: "b", rect: GridRect(x: 37, y: 0, width: 3, height: 3), lines: [],
                     ports: [ScenePort(name: "i", side: .left, offset: 1)]),
        ]
        scene.links = [SceneLink(key: "l", from: ScenePortReference(box: "a", port: "o"), to: ScenePortReference(box: "b", port: "i"),
                                 arrowAtEnd: true, label: "mirror0 → red0")]
        #expect(render(scene)[1] == "│ ├───────── mirror0 → red0 ────────▶│ │")
        #expect(render(scene, .ascii)[1] == "| +-------- mirror0 -> red0 -------->| |")
        #expect(render(scene)[1].count == 40)
    }

    @Test("Glyph sets: junctions per arm mask, heavy and double strokes, ASCII transliteration")
    func glyphs() {
        var arms = LineArms()
        arms.add(.up, .light)
        arms.add(.right, .light)
        arms.add(.down, .light)
        #expect(GlyphSet.unicode.line(arms) == "├")
        #expect(GlyphSet.ascii.line(arms) == "+")
        arms.add(.left, .heavy)
        #expect(GlyphSet.unicode.line(arms) == "╋")
        var frame = LineArms()
        frame.add(.left, .double)
        frame.add(.down, .double)
        #expect(GlyphSet.unicode.line(frame) == "╗")
        #expect(GlyphSet.ascii.line(frame) == "+")
        #expect(GlyphSet.ascii.plain("a→b ↔ §10 ü") == "a->b <-> section 10 ?")
        #expect(GlyphSet.unicode.plain("a→b") == "a→b")
    }

    @Test("Text wrapping keeps every word, breaks at spaces, indents continuation lines")
    func wrapping() {
        let text = "colo-compare 'comp0' has no iothread: QEMU 7.2 refuses it while parsing (parameter 'iothread' is missing)"
        let lines = TextWrapping.wrap(text, width: 40, indent: "    ")
        #expect(lines.allSatisfy { $0.count <= 40 })
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("    ") })
        #expect(lines.map { $0.trimmingPrefix("    ") }.joined(separator: " ") == text)
        #expect(TextWrapping.wrap("x", width: 40) == ["x"])
        #expect(TextWrapping.wrap(String(repeating: "a", count: 30), width: 12).allSatisfy { $0.count <= 12 })
    }
}
