import Deployment
import LockstepTestSupport

/// The patch mail's command lines and the reference topology's, as text.
enum Fixtures {
    static func patchMailPrimary() throws -> String { try PatchMailCommandLines.primary() }
    static func patchMailSecondary() throws -> String { try PatchMailCommandLines.secondary() }

    /// The reference topology's command lines, one option per line, without program name.
    static let referencePrimary = QEMUArgsExporter.arguments(for: Topology.reference.primary).joined(separator: "\n")
    static let referenceSecondary = QEMUArgsExporter.arguments(for: Topology.reference.secondary).joined(separator: "\n")
}
