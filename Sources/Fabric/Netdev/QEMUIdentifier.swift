/// QEMU's rule for the ids of netdevs, chardevs, devices and objects.
public enum QEMUIdentifier {
    /// A letter, then letters, digits, `-`, `.` and `_`.
    public static func isWellFormed(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, isASCIILetter(first) else { return false }
        return id.unicodeScalars.allSatisfy { isASCIILetter($0) || ("0"..."9").contains($0) || "-._".unicodeScalars.contains($0) }
    }

    private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }
}
