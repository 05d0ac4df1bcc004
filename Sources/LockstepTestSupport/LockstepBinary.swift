import Foundation

/// Finds and runs the `lockstep` executable built next to the tests.
public enum LockstepBinary {
    public static var candidates: [URL] {
        var urls: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["LOCKSTEP_BINARY"] {
            urls.append(URL(fileURLWithPath: explicit))
        }
        // The test runner sits in the same build products folder as the executable: on Linux
        // it is the running executable itself, on macOS an .xctest bundle in that folder.
        let runner = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        urls.append(runner.deletingLastPathComponent().appendingPathComponent("lockstep"))
        if let main = Bundle.main.executableURL {
            urls.append(main.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("lockstep"))
        }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            urls.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("lockstep"))
        }
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        urls.append(packageRoot.appendingPathComponent(".build/debug/lockstep"))
        urls.append(packageRoot.appendingPathComponent(".build/release/lockstep"))
        return urls
    }

    public static func locate() -> URL? {
        candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    public static var notFoundMessage: String {
        "lockstep executable not found (build it with `swift build`, or set LOCKSTEP_BINARY); tried: "
            + candidates.map(\.path).joined(separator: ", ")
    }

    public static func run(_ binary: URL, _ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read before waiting so a full pipe buffer cannot stall the child.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus,
            String(decoding: outputData, as: UTF8.self),
            String(decoding: errorData, as: UTF8.self)
        )
    }
}
