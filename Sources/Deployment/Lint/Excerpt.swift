/// Long text from a command line, shortened for a message: one argument may hold 80 KB, an id a
/// megabyte, and echoing it in every finding would multiply it by the number of findings.
public enum Excerpt {
    /// Characters kept of a value quoted inside a message.
    public static let valueLimit = 64

    /// `text` itself when short, else its start and end around a marker giving the length.
    public static func short(_ text: String, limit: Int = valueLimit) -> String {
        guard text.utf8.count > limit else { return text }
        let characters = Array(text)
        guard characters.count > limit else { return text }
        let head = String(characters.prefix(limit * 2 / 3))
        let tail = String(characters.suffix(limit / 3))
        return "\(head)…(\(text.utf8.count) bytes)…\(tail)"
    }
}

extension Excerpt {
    /// Longest run of non-blank characters a message keeps whole.
    public static let wordLimit = 96

    /// `text` with every overlong run of non-blank characters (an id, a key, a value someone
    /// pasted a megabyte into) shortened by `short`: messages name what they concern without
    /// repeating it in full.
    public static func words(_ text: String) -> String {
        guard text.utf8.count > wordLimit else { return text }
        var result = ""
        var word = ""
        func flush() {
            result += word.utf8.count > wordLimit ? short(word) : word
            word = ""
        }
        for character in text {
            if character == " " || character == "\n" {
                flush()
                result.append(character)
            } else {
                word.append(character)
            }
        }
        flush()
        return result
    }
}

extension ArgumentLocation {
    /// Characters of an argument quoted under a finding.
    public static let excerptLimit = 240

    /// The argument as written when short; else a window around `key`'s element (or the start),
    /// marked with `…` where text was left out.
    public func excerpt(around key: String?) -> String {
        let characters = Array(text)
        guard characters.count > Self.excerptLimit else { return text }
        var center = 0
        if let key, !key.isEmpty, let found = Self.offset(of: "," + key + "=", in: characters) ?? Self.offset(of: "," + key, in: characters) {
            center = found
        }
        let start = max(0, center - Self.excerptLimit / 3)
        let end = min(characters.count, start + Self.excerptLimit)
        return (start > 0 ? "…" : "") + String(characters[start..<end]) + (end < characters.count ? "…(\(text.utf8.count) bytes)" : "")
    }

    private static func offset(of needle: String, in characters: [Character]) -> Int? {
        let pattern = Array(needle)
        guard !pattern.isEmpty, characters.count >= pattern.count else { return nil }
        for start in 0...(characters.count - pattern.count) where characters[start] == pattern[0] {
            if characters[start..<(start + pattern.count)].elementsEqual(pattern) { return start }
        }
        return nil
    }
}
