/// A line of text inside a box: a left part and an optional right-aligned part.
public struct SceneBoxLine: Sendable, Hashable {
    public var left: String
    public var right: String

    public init(_ left: String, right: String = "") {
        self.left = left
        self.right = right
    }

    /// Characters needed to show both parts with one space between them.
    public var width: Int { right.isEmpty ? left.count : left.count + 1 + right.count }
}

/// A place on a box's border where a pipe attaches.
public struct ScenePort: Sendable, Hashable {
    public var name: String
    /// The side of the box (the direction the pipe leaves in).
    public var side: GridDirection
    /// Rows from the box's top (left and right sides) or columns from its left (top and bottom).
    public var offset: Int

    public init(name: String, side: GridDirection, offset: Int) {
        self.name = name
        self.side = side
        self.offset = offset
    }
}

/// A bordered box with text lines (from the row below the top border) and ports.
public struct SceneBox: Sendable, Hashable {
    public var key: String
    public var rect: GridRect
    public var lines: [SceneBoxLine]
    public var stroke: LineStroke
    public var ports: [ScenePort]

    public init(key: String, rect: GridRect, lines: [SceneBoxLine], stroke: LineStroke = .light, ports: [ScenePort] = []) {
        self.key = key
        self.rect = rect
        self.lines = lines
        self.stroke = stroke
        self.ports = ports
    }

    func port(_ name: String) -> ScenePort? {
        ports.first { $0.name == name }
    }

    /// The border cell a port sits on.
    func borderCell(of port: ScenePort) -> GridPoint {
        switch port.side {
        case .left: GridPoint(x: rect.x, y: rect.y + port.offset)
        case .right: GridPoint(x: rect.maxX, y: rect.y + port.offset)
        case .up: GridPoint(x: rect.x + port.offset, y: rect.y)
        case .down: GridPoint(x: rect.x + port.offset, y: rect.maxY)
        }
    }
}

/// A fixed line (a lane between boxes): drawn as given, optionally ending in an arrowhead. The
/// first point may lie on a box border, which then shows a junction.
public struct SceneWire: Sendable, Hashable {
    public var points: [GridPoint]
    public var stroke: LineStroke
    public var arrowAtEnd: Bool

    public init(points: [GridPoint], stroke: LineStroke = .light, arrowAtEnd: Bool) {
        self.points = points
        self.stroke = stroke
        self.arrowAtEnd = arrowAtEnd
    }
}

/// A free text.
public struct SceneText: Sendable, Hashable {
    public var point: GridPoint
    public var text: String

    public init(_ text: String, at point: GridPoint) {
        self.text = text
        self.point = point
    }
}

/// An outer frame with a title on its top border; pipes may cross it.
public struct SceneFrame: Sendable, Hashable {
    public var key: String
    public var rect: GridRect
    public var title: String
    public var stroke: LineStroke

    public init(key: String, rect: GridRect, title: String, stroke: LineStroke = .double) {
        self.key = key
        self.rect = rect
        self.title = title
        self.stroke = stroke
    }
}

/// One end of a pipe: a box and one of its ports.
public struct ScenePortReference: Sendable, Hashable {
    public var box: String
    public var port: String

    public init(box: String, port: String) {
        self.box = box
        self.port = port
    }
}

/// A pipe between two ports, routed by the scene around boxes and text.
public struct SceneLink: Sendable, Hashable {
    public var key: String
    public var from: ScenePortReference
    public var to: ScenePortReference
    /// Draw an arrowhead at `to` (the reading end).
    public var arrowAtEnd: Bool
    /// Written on the pipe's longest horizontal stretch when it fits.
    public var label: String?
    public var stroke: LineStroke

    public init(
        key: String,
        from: ScenePortReference,
        to: ScenePortReference,
        arrowAtEnd: Bool,
        label: String? = nil,
        stroke: LineStroke = .light
    ) {
        self.key = key
        self.from = from
        self.to = to
        self.arrowAtEnd = arrowAtEnd
        self.label = label
        self.stroke = stroke
    }
}

/// Everything to draw, in absolute cell coordinates. The scene knows nothing of COLO.
public struct Scene: Sendable, Hashable {
    public var width: Int
    public var height: Int
    public var frames: [SceneFrame] = []
    public var boxes: [SceneBox] = []
    public var wires: [SceneWire] = []
    public var texts: [SceneText] = []
    /// Routed in this order; earlier pipes get the straighter paths.
    public var links: [SceneLink] = []

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    func box(_ key: String) -> SceneBox? {
        boxes.first { $0.key == key }
    }

    /// Draws the scene: frames, boxes, wires and texts, then each link routed in order.
    public func render(_ glyphs: GlyphSet) -> SceneRendering {
        SceneRenderer.render(self, glyphs: glyphs)
    }
}
