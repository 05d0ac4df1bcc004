/// Refuses YAML nested deeper than a scenario could need before Yams builds its tree: Yams
/// composes nodes recursively, so 10,000 nested collections exhaust the stack and kill the
/// process. The scan is one pass over the text and over-estimates rather than under-estimates:
/// flow brackets outside quotes and comments count exactly; a block line counts its indentation
/// levels, each `- ` and a `key:` after them. Block scalars (`|`, `>`) are skipped.
enum YAMLNestingLimit {
    /// Scenario files nest about six levels; a hundred leaves room for any hand-written file.
    static let maximumDepth = 100

    struct Violation: Equatable {
        var line: Int
        var column: Int
        var depth: Int
    }

    /// The first place (1-based line and column) where the nesting passes `limit`, if any.
    static func firstViolation(in text: String, limit: Int = maximumDepth) -> Violation? {
        var scanner = Scanner(limit: limit)
        var lineNumber = 0
        for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if let column = scanner.scan(Array(line)) {
                return Violation(line: lineNumber, column: column, depth: scanner.deepest)
            }
        }
        return nil
    }

    private struct Scanner {
        let limit: Int
        var deepest = 0
        /// Indentations of the enclosing block collections.
        var indents: [Int] = []
        var flowDepth = 0
        /// Inside a quoted scalar that continues on the next line.
        var quote: UInt8?
        /// Inside a block scalar: lines indented more than this belong to it.
        var blockScalarParent: Int?

        init(limit: Int) {
            self.limit = limit
        }

        /// Scans one line; returns the 1-based column where the limit is passed.
        mutating func scan(_ line: [UInt8]) -> Int? {
            let space = UInt8(ascii: " ")
            let indent = line.prefix { $0 == space || $0 == UInt8(ascii: "\t") }.count
            let blank = indent == line.count || line[indent] == UInt8(ascii: "#") || line[indent] == UInt8(ascii: "\r")
            if let parent = blockScalarParent {
                if blank || indent > parent { return nil }
                blockScalarParent = nil
            }
            if blank && quote == nil { return nil }
            var blockDepth = 0
            var index = indent
            if quote == nil && flowDepth == 0 {
                while let last = indents.last, last >= indent { indents.removeLast() }
                indents.append(indent)
                blockDepth = indents.count
                // Compact nesting on one line: `- - x`, `- key: value`.
                while index + 1 < line.count, line[index] == UInt8(ascii: "-"), line[index + 1] == space || line[index + 1] == UInt8(ascii: "\t") {
                    blockDepth += 1
                    index += 2
                    while index < line.count, line[index] == space { index += 1 }
                }
                if containsKeyIndicator(line[index...]) { blockDepth += 1 }
                if blockDepth > limit {
                    deepest = blockDepth
                    return index + 1
                }
            }
            return scanFlow(line, from: index, blockDepth: blockDepth, indent: indent)
        }

        /// Brackets outside quotes and comments; notes a block scalar indicator at the end.
        private mutating func scanFlow(_ line: [UInt8], from start: Int, blockDepth: Int, indent: Int) -> Int? {
            var index = start
            var previous: UInt8 = UInt8(ascii: " ")
            var lastSignificant: UInt8 = 0
            while index < line.count {
                let byte = line[index]
                defer { index += 1 }
                if let open = quote {
                    if byte == open {
                        if open == UInt8(ascii: "'"), index + 1 < line.count, line[index + 1] == open {
                            index += 1
                        } else {
                            quote = nil
                        }
                    } else if byte == UInt8(ascii: "\\") && open == UInt8(ascii: "\"") {
                        index += 1
                    }
                    continue
                }
                switch byte {
                case UInt8(ascii: "#") where previous == UInt8(ascii: " ") || previous == UInt8(ascii: "\t"):
                    index = line.count
                    continue
                case UInt8(ascii: "'"), UInt8(ascii: "\""):
                    if previous == UInt8(ascii: " ") || previous == UInt8(ascii: "[") || previous == UInt8(ascii: "{")
                        || previous == UInt8(ascii: ",") || previous == UInt8(ascii: ":") || index == start {
                        quote = byte
                    }
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    flowDepth += 1
                    let depth = blockDepth + flowDepth
                    deepest = max(deepest, depth)
                    if depth > limit { return index + 1 }
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    flowDepth = max(0, flowDepth - 1)
                default:
                    break
                }
                previous = byte
                if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") && byte != UInt8(ascii: "\r") { lastSignificant = byte }
            }
            if quote == nil && flowDepth == 0 && (lastSignificant == UInt8(ascii: "|") || lastSignificant == UInt8(ascii: ">")
                                                  || endsWithBlockScalarHeader(line)) {
                blockScalarParent = indent
            }
            return nil
        }

        /// `key: |2-` and the like: a block scalar header with an indentation or chomping indicator.
        private func endsWithBlockScalarHeader(_ line: [UInt8]) -> Bool {
            let trimmed = line.reversed().drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }
            let header = trimmed.prefix { $0 != UInt8(ascii: " ") }.reversed()
            guard let first = header.first, first == UInt8(ascii: "|") || first == UInt8(ascii: ">") else { return false }
            return header.dropFirst().allSatisfy { ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }
        }

        /// A `key:` followed by a blank or the end of the line, outside quotes and brackets.
        private func containsKeyIndicator(_ rest: ArraySlice<UInt8>) -> Bool {
            var previous: UInt8 = 0
            for byte in rest {
                if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{")
                    || (byte == UInt8(ascii: "#") && previous == UInt8(ascii: " ")) {
                    return false
                }
                if previous == UInt8(ascii: ":") && (byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")) { return true }
                previous = byte
            }
            return previous == UInt8(ascii: ":")
        }
    }
}
