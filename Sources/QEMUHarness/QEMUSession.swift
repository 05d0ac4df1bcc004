import Glibc
import Fabric

/// A running QEMU with its temporary directory, QMP connection and capture channels, plus the
/// waiting primitives the oracles build their step protocols from.
///
/// Every wait is bounded by `timeout` and notices a QEMU that died; `shutdown()` (also run by
/// `deinit`) kills QEMU and removes the directory.
final class QEMUSession {
    /// A socket QEMU writes records to, with the records received but not yet claimed.
    final class Capture {
        let stream: UnixStream
        var reader: RecordDecoder
        var received: [Frame] = []

        init(stream: UnixStream, withVnetField: Bool) {
            self.stream = stream
            // Every record as soon as it is complete: QEMU's own reader would hold an L = 0
            // record back (W-7).
            self.reader = RecordDecoder(vnetHeaderSupport: withVnetField, profile: .corrected, input: stream.label)
        }

        func take() -> [Frame] {
            defer { received.removeAll() }
            return received
        }
    }

    let process: QEMUProcess
    let directory: String
    let timeout: Duration
    private(set) var qmp: QMPClient!
    private var streams: [UnixStream] = []
    private var captures: [Capture] = []
    private var isShutDown = false

    /// Spawns QEMU with `arguments` plus a QMP server socket in a fresh short temp directory.
    /// `build` receives the directory and returns QEMU's arguments.
    init(
        executable: String,
        leadingArguments: [String] = [],
        timeout: Duration,
        arguments build: (_ directory: String) throws(OracleError) -> [String]
    ) throws(OracleError) {
        var template = Array("/tmp/lkq.XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> UnsafeMutablePointer<CChar>? in
            guard let base = buffer.baseAddress else { return nil }
            return mkdtemp(base)
        }
        guard let made else {
            throw .systemCall(operation: "mkdtemp", errno: errno, detail: "/tmp/lkq.XXXXXX")
        }
        let directory = String(cString: made)
        self.directory = directory
        self.timeout = timeout
        let qmpPath = "\(directory)/qmp.sock"
        try UnixStream.checkPathLength(qmpPath)
        let arguments = leadingArguments + (try build(directory)) + ["-qmp", "unix:\(qmpPath),server=on,wait=off"]
        let stderrPath = "\(directory)/stderr.txt"
        process = try QEMUProcess(executable: executable, arguments: arguments, stderrPath: stderrPath)
        let qmpStream = try connect(path: qmpPath, label: "qmp")
        qmp = QMPClient(stream: qmpStream)
        try qmp.handshake(session: self)
    }

    /// Starts a session, starting the program again when its QMP handshake times out: under
    /// heavy parallel load a freshly started QEMU has been seen (rarely, with nothing on
    /// stderr) never to answer `qmp_capabilities`. Any other failure is reported at once.
    static func launch(
        executable: String,
        leadingArguments: [String] = [],
        timeout: Duration,
        attempts: Int = 3,
        arguments build: (_ directory: String) throws(OracleError) -> [String]
    ) throws(OracleError) -> QEMUSession {
        var attempt = 1
        while true {
            do {
                return try QEMUSession(
                    executable: executable, leadingArguments: leadingArguments, timeout: timeout, arguments: build)
            } catch .timedOut(let waitingFor, _, _) where waitingFor.hasPrefix("QMP") && attempt < attempts {
                attempt += 1
            }
        }
    }

    deinit { shutdown() }

    func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        process.kill()
        streams.forEach { $0.close() }
        removeDirectory()
    }

    /// Removes everything in our private directory: QEMU creates socket files there that we
    /// may never have connected to (e.g. when start-up failed half-way).
    private func removeDirectory() {
        if let handle = opendir(directory) {
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name != "." && name != ".." { unlink("\(directory)/\(name)") }
            }
            closedir(handle)
        }
        rmdir(directory)
    }

    /// Connects to a chardev socket QEMU serves, retrying until it exists.
    func connect(path: String, label: String) throws(OracleError) -> UnixStream {
        var stream: UnixStream?
        try waitUntil("QEMU to listen on \(label) (\(path))") { () throws(OracleError) -> Bool in
            stream = try UnixStream.tryConnect(path: path, label: label)
            return stream != nil
        }
        guard let stream else { throw .timedOut(waitingFor: label, seconds: 0, stderr: "") }
        streams.append(stream)
        return stream
    }

    func addCapture(path: String, label: String, withVnetField: Bool) throws(OracleError) -> Capture {
        let capture = Capture(stream: try connect(path: path, label: label), withVnetField: withVnetField)
        captures.append(capture)
        return capture
    }

    /// Captures a stream that is also used for input (notify_dev is bidirectional).
    func registerCapture(_ capture: Capture) throws(OracleError) {
        captures.append(capture)
    }

    /// A server chardev drops what its frontend writes until it has *accepted* our connection
    /// (connect() alone only queues us in the backlog), so wait until QEMU reports every
    /// chardev as connected before sending anything.
    func waitForChardevsConnected() throws(OracleError) {
        try waitUntil("QEMU to accept every chardev connection") { () throws(OracleError) -> Bool in
            let reply = try qmp.execute("query-chardev", session: self)
            return !reply.contains("disconnected:")
        }
    }

    /// Writes `frame` to `stream` as one chardev record (W-1), with the V field or without.
    func writeRecord(_ frame: Frame, withVnetField: Bool, to stream: UnixStream, purpose: String) throws(OracleError) {
        let record: [UInt8]
        do {
            record = try RecordEncoder(vnetHeaderSupport: withVnetField).record(payload: frame.bytes, vnetHeaderLength: frame.vnetHeaderLength)
        } catch {
            throw .unframeableInput(input: stream.label, reason: error)
        }
        try write(record, to: stream, purpose: purpose)
    }

    /// Writes all bytes, draining captures meanwhile so a QEMU blocked on output cannot deadlock us.
    func write(_ bytes: [UInt8], to stream: UnixStream, purpose: String) throws(OracleError) {
        var offset = 0
        try waitUntil(purpose) { () throws(OracleError) -> Bool in
            do {
                offset += try stream.writeSome(bytes[offset...])
            } catch {
                // EPIPE and friends usually mean QEMU died: report that, with its stderr.
                throw .qemuExited(status: exitStatusAfterClose(), during: "\(purpose) (\(error))", stderr: process.stderrText())
            }
            return offset == bytes.count
        }
    }

    /// Waits until QEMU has read every byte we sent on `stream` (see `unreadOutgoingBytes`).
    func waitUntilConsumed(_ stream: UnixStream) throws(OracleError) {
        try waitUntil("QEMU to read all input on \(stream.label)") { () throws(OracleError) -> Bool in
            try stream.unreadOutgoingBytes() == 0
        }
    }

    /// Re-evaluates `condition`, pumping captures between evaluations, until it holds or the
    /// timeout passes. Throws if QEMU exits meanwhile.
    func waitUntil(_ purpose: String, _ condition: () throws(OracleError) -> Bool) throws(OracleError) {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            if try condition() { return }
            guard process.isRunning else {
                throw .qemuExited(
                    status: process.exitStatus ?? "unknown", during: "waiting for \(purpose)",
                    stderr: process.stderrText())
            }
            if clock.now >= deadline {
                let seconds = Double(timeout.components.seconds)
                    + Double(timeout.components.attoseconds) / 1e18
                throw .timedOut(waitingFor: purpose, seconds: seconds, stderr: process.stderrText())
            }
            try pump(maximumWaitMicroseconds: 200)
        }
    }

    /// Waits at most the given time for capture data, then reads and frames everything available.
    func pump(maximumWaitMicroseconds: Int) throws(OracleError) {
        var descriptors = captures.map { pollfd(fd: $0.stream.fd, events: Int16(POLLIN), revents: 0) }
        // poll() has millisecond resolution; below that, look once and nap instead.
        let milliseconds = Int32(maximumWaitMicroseconds / 1_000)
        let ready = poll(&descriptors, nfds_t(descriptors.count), milliseconds)
        if ready < 0 && errno != EINTR { throw .systemCall(operation: "poll", errno: errno, detail: "") }
        guard ready > 0 else {
            if milliseconds == 0 { usleep(UInt32(maximumWaitMicroseconds)) }
            return
        }
        for (index, capture) in captures.enumerated() where descriptors[index].revents != 0 {
            try drain(capture)
        }
    }

    /// Reads every byte currently buffered for any capture.
    func drainAll() throws(OracleError) {
        for capture in captures { try drain(capture) }
    }

    /// A socket closes a moment before the kernel reports the exit; wait up to a second for it.
    func exitStatusAfterClose() -> String {
        for _ in 0..<1_000 where process.isRunning { usleep(1_000) }
        return process.exitStatus ?? "still running"
    }

    private func drain(_ capture: Capture) throws(OracleError) {
        while true {
            switch try capture.stream.readAvailable() {
            case .bytes(let bytes):
                if let error = capture.reader.feed(bytes, { capture.received.append($0) }) {
                    throw .malformedOutput(channel: capture.stream.label, detail: error.description, stderr: process.stderrText())
                }
            case .wouldBlock:
                return
            case .closed:
                throw .qemuExited(
                    status: exitStatusAfterClose(), during: "reading \(capture.stream.label) (QEMU closed it)",
                    stderr: process.stderrText())
            }
        }
    }
}
