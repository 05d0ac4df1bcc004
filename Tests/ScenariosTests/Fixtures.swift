import Foundation
import Scenarios

/// The seed mail's command lines and the reference topology's, as text.
enum Fixtures {
    static func text(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: "args", subdirectory: "Fixtures") else {
            throw FixtureMissing(name: name)
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    struct FixtureMissing: Error {
        let name: String
    }

    static func seedPrimary() throws -> String { try text("seed-v12-primary") }
    static func seedSecondary() throws -> String { try text("seed-v12-secondary") }

    /// The reference topology's command lines, one option per line, without program name.
    static let referencePrimary = QemuArgsExporter.arguments(for: Topology.reference.primary).joined(separator: "\n")
    static let referenceSecondary = QemuArgsExporter.arguments(for: Topology.reference.secondary).joined(separator: "\n")
}
