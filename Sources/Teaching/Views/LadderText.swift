import Fabric

/// The ladder as text (fixed-width columns) and as a self-contained SVG.
public enum LadderRenderer {
    static let columnWidth = 16
    static let timeWidth = 12

    public static func text(_ ladder: Ladder) -> String {
        let columns = Ladder.Column.allCases
        let width = columns.count * columnWidth
        func center(_ column: Ladder.Column) -> Int { column.rawValue * columnWidth + columnWidth / 2 }
        var header = Array(repeating: Character(" "), count: width)
        for column in columns {
            let title = Array(column.title)
            let start = max(0, center(column) - title.count / 2)
            for (offset, character) in title.enumerated() where start + offset < width { header[start + offset] = character }
        }
        var lines = [String(repeating: " ", count: timeWidth) + String(header).trimmingTrailingSpaces]
        var inCheckpoint = false
        for row in ladder.rows {
            var cells = Array(repeating: Character(" "), count: width)
            let lane: Character = inCheckpoint ? ":" : "|"
            for column in columns { cells[center(column)] = lane }
            switch row.mark {
            case let .message(from, to):
                let (a, b) = (center(from), center(to))
                for x in min(a, b)...max(a, b) { cells[x] = "-" }
                cells[a] = "o"
                cells[b] = a < b ? ">" : "<"
                // A primary guest's frame is held by the compare until it can be released.
                if from == .primaryGuest, to == .compare { cells[b] = "H" }
            case .hold:
                cells[center(.compare)] = "H"
            case .release:
                let (a, b) = (center(.compare), center(.tap))
                for x in b...a { cells[x] = "=" }
                cells[a] = "R"
                cells[b] = "<"
            case .note(let column):
                cells[center(column)] = "*"
            case .checkpointStart, .checkpointEnd:
                for x in 0..<width { cells[x] = "#" }
            }
            if case .checkpointStart = row.mark { inCheckpoint = true }
            if case .checkpointEnd = row.mark { inCheckpoint = false }
            let time = FrameWalkText.time(row.time)
            lines.append(time.padding(toLength: timeWidth, withPad: " ", startingAt: 0) + String(cells) + "  " + row.label)
        }
        if ladder.omitted > 0 { lines.append("... \(ladder.omitted) more rows") }
        lines.append("o--> message   H compare holds a primary frame   R=< compare releases to the tap   * note   #### checkpoint start/end (lanes dotted while it runs)")
        return lines.joined(separator: "\n") + "\n"
    }

    public static func svg(_ ladder: Ladder) -> String {
        let columns = Ladder.Column.allCases
        let left = 100, spacing = 130, rowHeight = 18, top = 40
        let width = left + columns.count * spacing + 760
        let height = top + (ladder.rows.count + 1) * rowHeight + 10
        func x(_ column: Ladder.Column) -> Int { left + column.rawValue * spacing + spacing / 2 }
        var parts = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-family=\"monospace\" font-size=\"11\">",
            "<defs><marker id=\"head\" markerWidth=\"8\" markerHeight=\"8\" refX=\"7\" refY=\"4\" orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" fill=\"#333\"/></marker></defs>",
        ]
        // Checkpoint bands first, so lanes and arrows are drawn over them.
        var bandStart: Int?
        for (index, row) in ladder.rows.enumerated() {
            let y = top + index * rowHeight
            switch row.mark {
            case .checkpointStart: bandStart = y
            case .checkpointEnd:
                let start = bandStart ?? top
                parts.append("<rect x=\"\(left)\" y=\"\(start)\" width=\"\(columns.count * spacing)\" height=\"\(y - start + rowHeight)\" fill=\"#fde7c8\"/>")
                bandStart = nil
            default: break
            }
        }
        if let start = bandStart {
            parts.append("<rect x=\"\(left)\" y=\"\(start)\" width=\"\(columns.count * spacing)\" height=\"\(height - start)\" fill=\"#fde7c8\"/>")
        }
        for column in columns {
            parts.append("<text x=\"\(x(column))\" y=\"20\" text-anchor=\"middle\" font-weight=\"bold\">\(column.title)</text>")
            parts.append("<line x1=\"\(x(column))\" y1=\"28\" x2=\"\(x(column))\" y2=\"\(height - 5)\" stroke=\"#999\"/>")
        }
        for (index, row) in ladder.rows.enumerated() {
            let y = top + index * rowHeight + rowHeight / 2
            parts.append("<text x=\"4\" y=\"\(y + 4)\" fill=\"#666\">\(FrameWalkText.time(row.time))</text>")
            switch row.mark {
            case let .message(from, to):
                parts.append("<line x1=\"\(x(from))\" y1=\"\(y)\" x2=\"\(x(to))\" y2=\"\(y)\" stroke=\"#333\" marker-end=\"url(#head)\"/>")
                if from == .primaryGuest, to == .compare {
                    parts.append("<rect x=\"\(x(.compare) - 5)\" y=\"\(y - 5)\" width=\"10\" height=\"10\" fill=\"#d29922\"/>")
                }
            case .release:
                parts.append("<line x1=\"\(x(.compare))\" y1=\"\(y)\" x2=\"\(x(.tap))\" y2=\"\(y)\" stroke=\"#1a7f37\" stroke-width=\"2\" marker-end=\"url(#head)\"/>")
            case .hold:
                parts.append("<rect x=\"\(x(.compare) - 5)\" y=\"\(y - 5)\" width=\"10\" height=\"10\" fill=\"#d29922\"/>")
            case .note(let column):
                parts.append("<circle cx=\"\(x(column))\" cy=\"\(y)\" r=\"5\" fill=\"#cf222e\"/>")
            case .checkpointStart, .checkpointEnd:
                parts.append("<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(left + columns.count * spacing)\" y2=\"\(y)\" stroke=\"#bc4c00\" stroke-width=\"2\"/>")
            }
            parts.append("<text x=\"\(left + columns.count * spacing + 8)\" y=\"\(y + 4)\">\(HTMLText.escape(row.label))</text>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n") + "\n"
    }
}

/// Escaping for text placed in HTML or SVG.
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
