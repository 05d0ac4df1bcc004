import Foundation
import Testing
import Deployment
import COLORuntime
import Scenarios

/// Every file of `scenarios/` through the same code as `lockstep test`.
@Suite("Scenario library")
struct ScenarioLibraryTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scenarios").path

    static var files: [String] { (try? ScenarioRunner.files(in: directory)) ?? [] }

    @Test("the library holds at least 18 scenarios, each opening with a comment")
    func libraryIsComplete() throws {
        let files = Self.files
        #expect(files.count >= 18)
        for file in files {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(text.hasPrefix("# "), "\(file) does not open with a comment saying what it shows")
        }
    }

    @Test("scenarios/README.md lists every library scenario, and only those")
    func readmeListsTheLibrary() throws {
        let readme = try String(contentsOfFile: Self.directory + "/README.md", encoding: .utf8)
        let names = Self.files.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }
        for name in names {
            #expect(readme.contains("| [\(name)](\(name).yaml) |"), "scenarios/README.md does not list \(name)")
        }
        let listed = readme.components(separatedBy: "\n").filter { $0.hasPrefix("| [") }.count
        #expect(listed == names.count, "scenarios/README.md lists \(listed) files, the library has \(names.count)")
    }

    @Test("every library scenario passes its expectations", arguments: files)
    func scenarioPasses(_ file: String) {
        let outcome = ScenarioRunner.run(path: file)
        #expect(outcome.errors.isEmpty, "\(outcome.errors)")
        #expect(outcome.report != nil)
        for result in outcome.results {
            #expect(result.passed, "\(outcome.name): \(result.line)")
        }
    }
}
