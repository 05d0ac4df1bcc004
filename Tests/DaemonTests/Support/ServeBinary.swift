import Foundation
import QEMUHarness

/// Finds the `lockstep` executable built next to the tests (or named by LOCKSTEP_BINARY).
enum ServeBinary {
    static var candidates: [String] {
        var paths: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["LOCKSTEP_BINARY"] { paths.append(explicit) }
        let runner = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        paths.append(runner.deletingLastPathComponent().appendingPathComponent("lockstep").path)
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        paths.append(packageRoot.appendingPathComponent(".build/debug/lockstep").path)
        paths.append(packageRoot.appendingPathComponent(".build/release/lockstep").path)
        return paths
    }

    static var path: String? {
        candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static var notFound: String {
        "lockstep executable not found (swift build, or set LOCKSTEP_BINARY); tried \(candidates.joined(separator: ", "))"
    }
}

/// The two programs that take a standalone compare's QEMU arguments.
enum CompareProgram: String, CaseIterable, Sendable, CustomStringConvertible {
    case qemu
    case lockstep

    var description: String { rawValue }

    /// Whether this program can run here: QEMU must be installed (or CI set, to fail loudly).
    var isAvailable: Bool {
        switch self {
        case .qemu: QEMULocator.oracleTestsEnabled
        case .lockstep: true
        }
    }

    /// The executable and the words before QEMU's arguments (lockstep with its defaults).
    func oracleProgram() throws -> OracleProgram {
        switch self {
        case .qemu:
            return try OracleProgram.qemu()
        case .lockstep:
            guard let binary = ServeBinary.path else { throw RigError.missing(ServeBinary.notFound) }
            return OracleProgram(executable: binary, leadingArguments: ["serve", "--log-level", "debug"])
        }
    }

    /// Programs to run a scenario on: always lockstep; QEMU when installed.
    static var available: [CompareProgram] { allCases.filter(\.isAvailable) }
}

enum RigError: Error, CustomStringConvertible {
    case missing(String)
    case failed(String)

    var description: String {
        switch self {
        case .missing(let text), .failed(let text): text
        }
    }
}
