import Foundation
import Testing
@testable import Fabric
@testable import Deployment
@testable import COLORuntime
@testable import Scenarios
@testable import Teaching

enum Chromium {
    static let path: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/chromium" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static var ciIsSet: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    /// Loads `file` in headless Chromium; returns its exit status, the serialised DOM and its log.
    static func dumpDOM(_ file: String, scratch: String) throws -> (status: Int32, dom: String, log: String) {
        let domPath = scratch + "/dom.html", logPath = scratch + "/chromium.log"
        _ = FileManager.default.createFile(atPath: domPath, contents: nil)
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path ?? "/usr/bin/chromium")
        process.arguments = ["--headless", "--disable-gpu", "--no-sandbox", "--user-data-dir=\(scratch)/profile",
                             "--enable-logging=stderr", "--v=0", "--dump-dom", "file://\(file)"]
        process.standardOutput = FileHandle(forWritingAtPath: domPath)
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()
        process.waitUntilExit()
        let dom = (try? String(contentsOfFile: domPath, encoding: .utf8)) ?? ""
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return (process.terminationStatus, dom, log)
    }
}

@Suite("HTML report")
struct TeachHTMLTests {
    static func page() throws -> String {
        var configuration = COLORunConfiguration.defaultScenario
        configuration.duration = .milliseconds(1_050)
        return HTMLReport.page(try TeachRun(configuration), title: "default <scenario>")
    }

    @Test("K-2/K-5: the page is self-contained and shows figure, ladder, checkpoint, queue chart and verdicts")
    func content() throws {
        let html = try Self.page()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href="))
        #expect(html.contains("default &lt;scenario&gt;"))
        #expect(html.contains("<pre class=\"figure\">") && html.contains("colo-compare comp0"))
        #expect(html.contains("Checkpoint 1, requested at +1.006930s: payload mismatch"))
        #expect(html.contains("primary queue") && html.contains("<polyline"))
        #expect(html.contains("<td>output_commit</td><td>holds</td>"))
        #expect(html.components(separatedBy: "<svg ").count == 3)
    }

    @Test("C-10: compare queue depths rebuilt from the log rise while records wait and drain to zero when the workload is idle")
    func queueDepths() throws {
        let run = try #require(TeachFixtures.run)
        let depths = QueueDepths(entries: run.entries, topology: run.topology)
        #expect(depths.maximum >= 1)
        #expect(depths.samples.last?.primary == 0 && depths.samples.last?.secondary == 0)
        #expect(depths.samples.allSatisfy { $0.primary >= 0 && $0.secondary >= 0 })
        let svg = depths.svg(end: run.report.endTime)
        #expect(svg.hasPrefix("<svg ") && svg.contains("<polyline"))
    }

    @Test("The page renders in headless Chromium without errors",
          .enabled(if: Chromium.path != nil || Chromium.ciIsSet, "chromium is not installed"))
    func rendersInChromium() throws {
        let scratch = NSTemporaryDirectory() + "lockstep-teach-\(getpid())"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let file = scratch + "/report.html"
        try Self.page().write(toFile: file, atomically: true, encoding: .utf8)
        let result = try Chromium.dumpDOM(file, scratch: scratch)
        #expect(result.status == 0)
        #expect(result.dom.contains("<h2>Ladder</h2>") && result.dom.contains("</svg>"))
        let problems = result.log.split(separator: "\n").filter {
            $0.contains("CONSOLE") || $0.contains("Uncaught") || $0.contains("Failed to load") || $0.contains("net::ERR")
        }
        #expect(problems.isEmpty, "\(problems)")
    }
}
