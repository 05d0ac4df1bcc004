import Foundation
import Glibc
import LockstepTestSupport

/// Runs the built `lockstep` for the hostile-input suites: a wall-clock bound (a hang fails the
/// test instead of stalling the suite), stdout optionally to a path (`/dev/full`), and a private
/// folder for the files a case needs.
struct HostileRun {
    struct Outcome {
        var status: Int32
        /// The process was killed by a signal (a crash) or by the bound (a hang).
        var signalled: Bool
        var timedOut: Bool
        var output: String
        var error: String
        var errorLines: [Substring] { error.split(separator: "\n", omittingEmptySubsequences: true) }
    }

    let binary: URL
    let folder: String

    init() throws {
        guard let binary = LockstepBinary.locate() else { throw HostileRunError(LockstepBinary.notFoundMessage) }
        self.binary = binary
        var template = Array("/tmp/lockstep-hostile.XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw HostileRunError("mkdtemp failed")
        }
        folder = String(cString: made)
    }

    func path(_ name: String) -> String { "\(folder)/\(name)" }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let target = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        return target
    }

    /// `lockstep ARGUMENTS`, killed after `seconds`.
    func run(_ arguments: [String], standardOutput: String? = nil, seconds: Double = 60) throws -> Outcome {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        let outputPipe = Pipe(), errorPipe = Pipe()
        if let standardOutput {
            process.standardOutput = FileHandle(forWritingAtPath: standardOutput)
        } else {
            process.standardOutput = outputPipe
        }
        process.standardError = errorPipe
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        let reader = DispatchQueue(label: "hostile-run")
        nonisolated(unsafe) var output = Data(), error = Data()
        let group = DispatchGroup()
        reader.async(group: group) { error = errorPipe.fileHandleForReading.readDataToEndOfFile() }
        if standardOutput == nil {
            DispatchQueue.global().async(group: group) { output = outputPipe.fileHandleForReading.readDataToEndOfFile() }
        }
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                kill(process.processIdentifier, SIGKILL)
                break
            }
            usleep(10_000)
        }
        process.waitUntilExit()
        group.wait()
        return Outcome(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                       timedOut: timedOut, output: String(decoding: output, as: UTF8.self), error: String(decoding: error, as: UTF8.self))
    }

    func removeFolder() {
        _ = try? FileManager.default.removeItem(atPath: folder)
    }
}

struct HostileRunError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
