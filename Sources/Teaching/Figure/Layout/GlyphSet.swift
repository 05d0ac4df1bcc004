/// The characters a canvas is rendered with: plain ASCII, or Unicode box drawing.
public struct GlyphSet: Sendable, Hashable {
    /// Line glyphs per stroke, indexed by `LineArms.mask` (up=1, right=2, down=4, left=8).
    private let light: [Character]
    private let heavy: [Character]
    private let double: [Character]
    /// Arrowheads indexed by `GridDirection.rawValue`.
    private let arrows: [Character]
    /// An arrow inside running text, e.g. `m0 -> redire0`.
    public let textArrow: String
    /// A two-way arrow inside running text.
    public let textBothWays: String

    public static let ascii = GlyphSet(
        light: Self.table(horizontal: "-", vertical: "|", other: { _ in "+" }),
        heavy: Self.table(horizontal: "#", vertical: "#", other: { _ in "#" }),
        double: Self.table(horizontal: "=", vertical: "|", other: { _ in "+" }),
        arrows: ["^", ">", "v", "<"],
        textArrow: "->",
        textBothWays: "<->"
    )

    public static let unicode = GlyphSet(
        light: Self.table(horizontal: "─", vertical: "│", other: { Self.junction($0, "└┌├┘┴┐┤┬┼") }),
        heavy: Self.table(horizontal: "━", vertical: "┃", other: { Self.junction($0, "┗┏┣┛┻┓┫┳╋") }),
        double: Self.table(horizontal: "═", vertical: "║", other: { Self.junction($0, "╚╔╠╝╩╗╣╦╬") }),
        arrows: ["▲", "▶", "▼", "◀"],
        textArrow: "→",
        textBothWays: "↔"
    )

    public func line(_ arms: LineArms) -> Character {
        let mask = arms.mask
        switch arms.stroke {
        case .light: return light[mask]
        case .heavy: return heavy[mask]
        case .double: return double[mask]
        }
    }

    public func arrow(_ direction: GridDirection) -> Character {
        arrows[direction.rawValue]
    }

    /// Text as this set can show it: the ASCII set spells out the few non-ASCII characters the
    /// lint and the model use (`→`, `↔`, `§` ...) and replaces any other with `?`.
    public func plain(_ text: String) -> String {
        guard self == .ascii, !text.unicodeScalars.allSatisfy(\.isASCII) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "→": out += "->"
            case "←": out += "<-"
            case "↔": out += "<->"
            case "§": out += "section "
            case "–", "—": out += "-"
            case "…": out += "..."
            case "‘", "’": out += "'"
            case "“", "”": out += "\""
            case "×": out += "x"
            default: out += "?"
            }
        }
        return out
    }

    /// Builds a 16-entry table: no arm is a space, arms along one axis only are straight lines,
    /// anything else is a corner or junction.
    private static func table(horizontal: Character, vertical: Character, other: (Int) -> Character) -> [Character] {
        (0..<16).map { mask in
            if mask == 0 { return " " }
            let up = mask & 1 != 0, right = mask & 2 != 0, down = mask & 4 != 0, left = mask & 8 != 0
            if !up && !down { return horizontal }
            if !left && !right { return vertical }
            return other(mask)
        }
    }

    /// Picks the junction for `mask` from glyphs listed in the order of masks 3, 6, 7, 9, 11, 12,
    /// 13, 14, 15 (up+right, right+down, up+right+down, up+left, up+right+left, down+left,
    /// up+down+left, right+down+left, all four).
    private static func junction(_ mask: Int, _ glyphs: String) -> Character {
        let order = [3, 6, 7, 9, 11, 12, 13, 14, 15]
        let characters = Array(glyphs)
        guard let index = order.firstIndex(of: mask), characters.indices.contains(index) else { return "+" }
        return characters[index]
    }
}
