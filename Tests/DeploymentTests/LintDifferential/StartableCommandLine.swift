/// What the differential changes in a variant's command line so that it can start here, and
/// nothing more: a machine that runs no guest (`-S`, TCG, no default devices) is put first, so
/// an option the variant gives itself comes later and wins; socket, dump and log paths move
/// into the variant's directory, equal paths staying equal and a path too long for a socket
/// staying too long. Taps stay real taps with their scripts (inside the namespace), hosts and
/// ports stay as written (the namespace's loopback is private).
struct StartableCommandLine {
    static let machine = ["-M", "pc", "-m", "64", "-accel", "tcg", "-display", "none", "-nodefaults", "-S"]

    /// Keys whose value is a file the variant's QEMU creates or opens.
    private static let pathKeys: Set<String> = ["path", "addr.path", "local.path", "remote.path", "file", "logfile"]

    let directory: String
    private(set) var paths: [String: String] = [:]

    init(directory: String) {
        self.directory = directory
    }

    mutating func argv(_ words: [String]) -> [String] {
        var argv = Self.machine
        var index = 0
        while index < words.count {
            let word = words[index]
            let option = word.drop { $0 == "-" }
            if word.hasPrefix("-"), ["chardev", "netdev", "object", "device"].contains(option), index + 1 < words.count {
                argv += [word, rewrite(words[index + 1])]
                index += 2
            } else {
                argv.append(word)
                index += 1
            }
        }
        return argv
    }

    /// The path `original` is moved to (the same for every mention).
    mutating func path(for original: String) -> String {
        if let known = paths[original] { return known }
        let base = String(original.split(separator: "/").last ?? "sock").filter { $0.isLetter || $0.isNumber || "._-".contains($0) }.prefix(24)
        var moved = "\(directory)/p\(paths.count)-\(base)"
        // A path over the 108 bytes a socket address holds must stay over it.
        if original.utf8.count > 108, moved.utf8.count < original.utf8.count {
            moved += String(repeating: "x", count: original.utf8.count - moved.utf8.count)
        }
        paths[original] = moved
        return moved
    }

    private mutating func rewrite(_ value: String) -> String {
        if value.hasPrefix("{") {
            return rewriteJSON(value)
        }
        let elements = OptionValue.elements(value).map { element -> String in
            guard let equals = element.firstIndex(of: "=") else { return element }
            let key = String(element[..<equals])
            let path = String(element[element.index(after: equals)...])
            guard Self.pathKeys.contains(key), !path.isEmpty, !path.hasPrefix("/dev/") else { return element }
            return key + "=" + self.path(for: path)
        }
        return OptionValue.join(elements)
    }

    /// `"path":"..."`, `"file":"..."` and `"logfile":"..."` in a JSON value (plain text
    /// substitution keeps broken JSON as broken as it was).
    private mutating func rewriteJSON(_ value: String) -> String {
        var result = value
        for key in ["path", "file", "logfile"] {
            var searchFrom = result.startIndex
            while let found = result[searchFrom...].firstRange(of: "\"\(key)\":\"") {
                guard let end = result[found.upperBound...].firstIndex(of: "\"") else { break }
                let original = String(result[found.upperBound..<end])
                let moved = original.hasPrefix("/dev/") || original.isEmpty ? original : path(for: original)
                result.replaceSubrange(found.upperBound..<end, with: moved)
                searchFrom = result.index(found.upperBound, offsetBy: moved.count)
            }
        }
        return result
    }
}
