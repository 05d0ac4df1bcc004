/// One word of a command line after shell-like splitting, with the line it starts on.
public struct ShellWord: Sendable, Hashable {
    public var text: String
    /// 1-based line of the word's first character in the source text.
    public var line: Int

    public init(_ text: String, line: Int) {
        self.text = text
        self.line = line
    }
}

/// The text cannot be split into words.
public enum ShellSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A quote opened on `line` is never closed; `word` is what was read of the word so far.
    case unterminatedQuote(quote: Character, line: Int, word: String)
    /// The text ends with a lone backslash.
    case danglingBackslash(line: Int)

    public var description: String {
        switch self {
        case .unterminatedQuote(let quote, let line, let word):
            "unbalanced quotes: the \(quote) opened on line \(line) in \(Self.excerpt(word)) is never closed"
        case .danglingBackslash(let line):
            "the text ends with a backslash on line \(line) that escapes nothing"
        }
    }

    public var line: Int {
        switch self {
        case .unterminatedQuote(_, let line, _), .danglingBackslash(let line): line
        }
    }

    private static func excerpt(_ word: String) -> String {
        let short = word.count > 60 ? String(word.prefix(60)) + "…" : word
        return "'\(short)'"
    }
}

/// Splits text the way a POSIX shell splits a simple command: whitespace separates words,
/// single quotes are literal, double quotes allow `\"`, `\\`, `\$` and `` \` ``, a backslash
/// outside quotes escapes the next character, backslash-newline joins lines (as pasted from
/// docs), and `#` at the start of a word comments out the rest of the line. No expansion is done.
public enum ShellWords {
    public static func split(_ text: String) throws(ShellSyntaxError) -> [ShellWord] {
        var splitter = Splitter(Array(text.unicodeScalars))
        return try splitter.run()
    }

    private struct Splitter {
        let scalars: [Unicode.Scalar]
        var position = 0
        var line = 1
        var words: [ShellWord] = []
        var current = String.UnicodeScalarView()
        var inWord = false
        var wordLine = 1

        init(_ scalars: [Unicode.Scalar]) {
            self.scalars = scalars
        }

        mutating func run() throws(ShellSyntaxError) -> [ShellWord] {
            while let scalar = next() {
                switch scalar {
                case " ", "\t", "\r", "\n":
                    finishWord()
                case "#" where !inWord:
                    skipComment()
                case "\\":
                    try backslashOutsideQuotes()
                case "'":
                    startWord()
                    try singleQuoted()
                case "\"":
                    startWord()
                    try doubleQuoted()
                default:
                    startWord()
                    current.append(scalar)
                }
            }
            finishWord()
            return words
        }

        private mutating func next() -> Unicode.Scalar? {
            guard position < scalars.count else { return nil }
            let scalar = scalars[position]
            position += 1
            if scalar == "\n" { line += 1 }
            return scalar
        }

        private func peek() -> Unicode.Scalar? {
            position < scalars.count ? scalars[position] : nil
        }

        private mutating func startWord() {
            if !inWord {
                inWord = true
                wordLine = line
            }
        }

        private mutating func finishWord() {
            if inWord {
                words.append(ShellWord(String(current), line: wordLine))
            }
            current = String.UnicodeScalarView()
            inWord = false
        }

        private mutating func skipComment() {
            while let scalar = peek(), scalar != "\n" {
                position += 1
            }
        }

        private mutating func backslashOutsideQuotes() throws(ShellSyntaxError) {
            let backslashLine = line
            guard let escaped = next() else { throw .danglingBackslash(line: backslashLine) }
            switch escaped {
            case "\n":
                return
            case "\r" where peek() == "\n":
                _ = next()
                return
            default:
                startWord()
                current.append(escaped)
            }
        }

        private mutating func singleQuoted() throws(ShellSyntaxError) {
            let openLine = line
            while let scalar = next() {
                if scalar == "'" { return }
                current.append(scalar)
            }
            throw .unterminatedQuote(quote: "'", line: openLine, word: String(current))
        }

        private mutating func doubleQuoted() throws(ShellSyntaxError) {
            let openLine = line
            while let scalar = next() {
                switch scalar {
                case "\"":
                    return
                case "\\":
                    guard let escaped = next() else { break }
                    switch escaped {
                    case "\"", "\\", "$", "`": current.append(escaped)
                    case "\n": break
                    default:
                        current.append("\\")
                        current.append(escaped)
                    }
                default:
                    current.append(scalar)
                }
            }
            throw .unterminatedQuote(quote: "\"", line: openLine, word: String(current))
        }
    }
}
