import Foundation
import Testing
@testable import Deployment
@testable import COLORuntime
@testable import Scenarios
@testable import Teaching
import LockstepTestSupport

/// The topologies with golden figures: the patch mail's command lines, the reference, and
/// variants that must draw differently.
enum FigureCase: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case patchMail = "patch-mail-v12"
    case reference
    case noRewriter = "no-rewriter"
    case extraDump = "extra-dump"
    case twoNICs = "two-nics"
    case reversedRedirector = "reversed-redirector"

    var testDescription: String { rawValue }

    func subject() throws -> FigureSubject {
        switch self {
        case .reference:
            return .reference
        case .patchMail:
            return try FigureSubject.commandLines(
                primary: PatchMailCommandLines.primary(), secondary: PatchMailCommandLines.secondary(),
                title: "the 2016 colo-compare v12 mail's command lines"
            )
        default:
            return try FigureSubject.commandLines(
                primary: primaryText(), secondary: secondaryText(),
                title: "\(rawValue) (Tests/TeachingTests/Fixtures/figures/\(rawValue).*.args)"
            )
        }
    }

    func primaryText() throws -> String {
        self == .patchMail ? try PatchMailCommandLines.primary() : try FigureFiles.text("\(rawValue).primary", extension: "args")
    }

    func secondaryText() throws -> String {
        self == .patchMail ? try PatchMailCommandLines.secondary() : try FigureFiles.text("\(rawValue).secondary", extension: "args")
    }
}

/// Reads figure fixtures from the test bundle and, with `LOCKSTEP_UPDATE_GOLDENS=1`, writes
/// golden files into the source tree instead of comparing.
enum FigureFiles {
    static func text(_ name: String, extension ext: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures/figures") else {
            throw PatchMailCommandLines.Missing(path: "figures/\(name).\(ext)")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    static var updating: Bool {
        ProcessInfo.processInfo.environment["LOCKSTEP_UPDATE_GOLDENS"] == "1"
    }

    /// `Tests/TeachingTests/Fixtures/figures` in the source tree.
    static func sourceDirectory(file: String = #filePath) -> URL {
        URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Fixtures/figures")
    }

    /// Compares `actual` with the golden file, or rewrites the file when updating. Returns a
    /// description of the first difference, or nil when equal.
    static func checkGolden(_ actual: String, name: String) throws -> String? {
        if updating {
            let url = sourceDirectory().appendingPathComponent("\(name).txt")
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return nil
        }
        let expected: String
        do {
            expected = try text(name, extension: "txt")
        } catch {
            return "no golden file \(name).txt: run LOCKSTEP_UPDATE_GOLDENS=1 swift test --filter Figure"
        }
        guard actual != expected else { return nil }
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(actualLines.count, expectedLines.count) {
            let got = index < actualLines.count ? String(actualLines[index]) : "<end>"
            let want = index < expectedLines.count ? String(expectedLines[index]) : "<end>"
            if got != want {
                return "\(name).txt differs at line \(index + 1):\n  golden: \(want)\n  drawn:  \(got)\n(if the change is intended: LOCKSTEP_UPDATE_GOLDENS=1 swift test --filter Figure)"
            }
        }
        return "\(name).txt differs"
    }
}
