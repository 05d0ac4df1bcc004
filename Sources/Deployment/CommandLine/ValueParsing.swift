/// Reads typed values the way QEMU's option visitors do.
enum ValueParsing {
    /// QEMU's boolean spellings.
    static func bool(_ text: String) -> Bool? {
        switch text {
        case "on", "yes", "true", "y": true
        case "off", "no", "false", "n": false
        default: nil
        }
    }

    static func uint64(_ text: String) -> UInt64? {
        UInt64(text)
    }

    static func uint32(_ text: String) -> UInt32? {
        UInt32(text)
    }

    /// QEMU identifiers: a letter, then letters, digits, `-`, `.`, `_`.
    static func isWellFormedID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, first.isASCIILetter else { return false }
        return id.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "-" || $0 == "." || $0 == "_" }
    }

    static func boolText(_ value: Bool) -> String { value ? "on" : "off" }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self)
    }
}
