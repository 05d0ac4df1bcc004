import Foundation

/// A real QEMU started with `-qmp stdio`, for differential checks. Output is collected by a
/// reader handler; waits poll it with a deadline so a hung QEMU fails the test instead of
/// hanging it. Only loopback resources are used (unix sockets in a private directory).
final class QEMUProcessRun: @unchecked Sendable {
    static let executable: String? = {
        if let override = ProcessInfo.processInfo.environment["LOCKSTEP_QEMU"], FileManager.default.isExecutableFile(atPath: override) {
            return override
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/qemu-system-x86_64" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static var available: Bool { executable != nil }

    /// Options that make QEMU start nothing but its backends and wait.
    static let quietMachine = ["-M", "none", "-S", "-nodefaults", "-display", "none", "-monitor", "none", "-serial", "none", "-qmp", "stdio"]

    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    private let lock = NSLock()
    private var stdoutText = ""
    private var stderrText = ""
    private var openStreams = 2

    init(arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: Self.executable ?? "/usr/bin/qemu-system-x86_64")
        process.arguments = Self.quietMachine + arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        startReader(output.fileHandleForReading, toStderr: false)
        startReader(errors.fileHandleForReading, toStderr: true)
    }

    /// Reads a stream to its end on a thread of its own (blocking reads; QEMU closing the pipe
    /// ends the thread).
    private func startReader(_ handle: FileHandle, toStderr: Bool) {
        let thread = Thread { [self] in
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                append(data, toStderr: toStderr)
            }
            lock.lock()
            openStreams -= 1
            lock.unlock()
        }
        thread.start()
    }

    private func append(_ data: Data, toStderr: Bool) {
        let text = String(decoding: data, as: UTF8.self)
        lock.lock()
        if toStderr { stderrText += text } else { stdoutText += text }
        lock.unlock()
    }

    private var streamsClosed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return openStreams == 0
    }

    var stdout: String {
        lock.lock()
        defer { lock.unlock() }
        return stdoutText
    }

    var stderr: String {
        lock.lock()
        defer { lock.unlock() }
        return stderrText
    }

    var isRunning: Bool { process.isRunning }

    func send(_ line: String) {
        try? input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
    }

    /// Waits until `condition` holds on stdout, or QEMU exits, or `seconds` pass.
    @discardableResult
    func wait(seconds: Double = 10, until condition: (String) -> Bool) -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if condition(stdout) { return true }
            if !process.isRunning {
                Thread.sleep(forTimeInterval: 0.05)
                return condition(stdout)
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return false
    }

    /// Sends a QMP command and waits for the next `return` (or `error`) after those seen so far.
    func execute(_ command: String) -> String? {
        let before = Self.replies(in: stdout).count
        send(command)
        guard wait(until: { Self.replies(in: $0).count > before }) else { return nil }
        return Self.replies(in: stdout).dropFirst(before).first
    }

    static func replies(in text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map(String.init).filter { $0.hasPrefix("{\"return\"") || $0.hasPrefix("{\"error\"") }
    }

    /// Waits for QEMU to exit by itself (after `quit` or a start-up error).
    func waitForExit(seconds: Double = 10) -> Int32? {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while process.isRunning, ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        guard !process.isRunning else { return nil }
        // Let the readers collect what QEMU wrote before exiting.
        while !streamsClosed, ContinuousClock.now < deadline + .seconds(2) {
            Thread.sleep(forTimeInterval: 0.01)
        }
        return process.terminationStatus
    }

    var terminatedBySignal: Bool { !process.isRunning && process.terminationReason == .uncaughtSignal }

    /// Asks QEMU to quit, then terminates it if it does not; always leaves no process behind.
    func stop() {
        if process.isRunning {
            send("{\"execute\": \"quit\"}")
            if waitForExit(seconds: 3) == nil {
                process.terminate()
                if waitForExit(seconds: 2) == nil {
                    kill(process.processIdentifier, SIGKILL)
                    _ = waitForExit(seconds: 2)
                }
            }
        }
    }

    deinit {
        stop()
    }
}

/// A private directory for unix sockets, removed at the end.
final class SocketDirectory {
    let path: String

    init(label: String) throws {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/lockstep-\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
