/// Breaks text into lines of at most `width` characters: at spaces when it can, otherwise at
/// commas, otherwise anywhere. Continuation lines start with `indent`.
enum TextWrapping {
    static func wrap(_ text: String, width: Int, indent: String = "") -> [String] {
        guard width > indent.count + 4 else { return [text] }
        var lines: [String] = []
        var rest = Substring(text)
        var prefix = ""
        while prefix.count + rest.count > width {
            let room = width - prefix.count
            let window = rest.prefix(room + 1)
            let cut: Substring.Index
            if let space = window.lastIndex(of: " "), space > rest.startIndex {
                cut = space
            } else if let comma = window.prefix(room).lastIndex(of: ","), comma > rest.startIndex {
                cut = rest.index(after: comma)
            } else {
                cut = rest.index(rest.startIndex, offsetBy: room)
            }
            var line = String(rest[..<cut])
            while line.last == " " { line.removeLast() }
            lines.append(prefix + line)
            rest = rest[cut...].drop { $0 == " " }
            prefix = indent
        }
        if !rest.isEmpty || lines.isEmpty {
            lines.append(prefix + rest)
        }
        return lines
    }
}
