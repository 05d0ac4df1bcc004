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

    /// An unsigned number as QEMU's option visitors read it (C's base-0 rules): decimal, `0x`
    /// hex or leading-`0` octal, no sign.
    static func qemuUnsigned(_ text: String) -> UInt64? {
        guard let first = text.first, first.isNumber else { return nil }
        let lower = text.lowercased()
        if lower.hasPrefix("0x") { return UInt64(lower.dropFirst(2), radix: 16) }
        if lower.count > 1, lower.hasPrefix("0") { return UInt64(lower.dropFirst(), radix: 8) }
        return UInt64(lower)
    }

    /// A QemuOpts number (`reconnect=`): as `qemuUnsigned`, but a leading `-` is accepted and
    /// wraps around 2^64 as C's strtoull does (`-1` is 18446744073709551615).
    static func qemuOptionNumber(_ text: String) -> UInt64? {
        if text.hasPrefix("-") {
            return qemuUnsigned(String(text.dropFirst())).map { 0 &- $0 }
        }
        return qemuUnsigned(text)
    }

    static func boolText(_ value: Bool) -> String { value ? "on" : "off" }
}
