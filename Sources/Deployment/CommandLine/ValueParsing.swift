/// Reads typed values the way QEMU's option visitors do.
package enum ValueParsing {
    /// QEMU's boolean spellings.
    package static func bool(_ text: String) -> Bool? {
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

    static func boolText(_ value: Bool) -> String { value ? "on" : "off" }
}
