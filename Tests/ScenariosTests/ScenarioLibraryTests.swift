import Foundation
import Scenarios
import Testing

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
