import Foundation

/// The patch mail's primary and secondary QEMU command lines (`Tests/Fixtures`), which several
/// test targets read: the lint, the figure and the runtime's importer all start from them.
public enum PatchMailCommandLines {
    public struct Missing: Error, CustomStringConvertible {
        public let path: String
        public init(path: String) { self.path = path }
        public var description: String { "test fixture missing: \(path)" }
    }

    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tests/Fixtures")

    public static func text(_ name: String) throws -> String {
        let url = directory.appendingPathComponent("\(name).args")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw Missing(path: url.path) }
        return text
    }

    public static func primary() throws -> String { try text("patch-mail-v12-primary") }
    public static func secondary() throws -> String { try text("patch-mail-v12-secondary") }
}
