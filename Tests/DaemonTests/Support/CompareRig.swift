import Foundation
import Glibc
import Fabric
import Daemon
import QEMUHarness

/// One compare process (QEMU or `lockstep serve`) started with the same QEMU arguments in a
/// private directory, plus the driver's sockets: the scenario tests' common ground.
final class CompareRig {
    let program: CompareProgram
    let directory: String
    let process: ChildProcess
    let arguments: [String]
    var vnet = false

    /// The standard layout: pri, sec, out, nfy unix servers (wait=off), iothread iot0,
    /// colo-compare comp0 with notify_dev, a QMP socket. `compareExtra` is appended to the
    /// colo-compare properties; `chardevs` replaces the chardev arguments (`DIR` stands for the
    /// directory); `qmp: false` leaves the monitor out.
    init(_ program: CompareProgram, compareExtra: String = "", chardevs: [String]? = nil, notify: Bool = true,
         qmp: Bool = true, lockstepOptions: [String] = []) throws {
        self.program = program
        var template = Array("/tmp/lkd.XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw RigError.failed("mkdtemp failed")
        }
        directory = String(cString: made)
        let dir = directory
        var words = ["-M", "none", "-nodefaults", "-display", "none", "-monitor", "none", "-serial", "none",
                     "-object", "iothread,id=iot0"]
        let devices = chardevs ?? ["pri", "sec", "out"] .map { "socket,id=\($0),path=DIR/\($0).sock,server=on,wait=off" }
            + (notify ? ["socket,id=nfy,path=DIR/nfy.sock,server=on,wait=off"] : [])
        for device in devices { words += ["-chardev", device.replacingOccurrences(of: "DIR", with: dir)] }
        var compare = "colo-compare,id=comp0,primary_in=pri,secondary_in=sec,outdev=out,iothread=iot0"
        if notify { compare += ",notify_dev=nfy" }
        words += ["-object", compare + compareExtra]
        if qmp { words += ["-qmp", "unix:\(dir)/qmp.sock,server=on,wait=off"] }
        let oracle = try program.oracleProgram()
        arguments = oracle.leadingArguments + (program == .lockstep ? lockstepOptions : []) + words
        process = try ChildProcess(executable: oracle.executable, arguments: arguments, stderrPath: "\(dir)/stderr.txt")
    }

    deinit { shutdown() }

    func shutdown() {
        process.kill()
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) {
            for entry in entries { unlink("\(directory)/\(entry)") }
        }
        rmdir(directory)
    }

    var stderr: String { process.stderrText() }

    func path(_ name: String) -> String { "\(directory)/\(name).sock" }

    func connect(_ name: String, retryForMs: Int = 10_000) throws -> DriverSocket {
        try DriverSocket.connect(to: .unix(path: path(name)), label: "\(program) \(name)", retryForMs: retryForMs)
    }

    /// A QMP session (connects on first use).
    lazy var monitor: Result<TestQMP, any Error> = Result { try TestQMP(socket: connect("qmp")) }

    /// Waits until `query-chardev` reports every listed chardev connected.
    func waitUntilConnected(_ ids: [String], timeoutMs: Int = 10_000) throws {
        let qmp = try monitor.get()
        let deadline = MonotonicClock.now + timeoutMs
        while true {
            let files = try chardevFilenames(qmp)
            let pending = ids.filter { files[$0].map { $0.hasPrefix("disconnected:") } ?? true }
            if pending.isEmpty { return }
            if MonotonicClock.now >= deadline { throw RigError.failed("\(program): chardevs \(pending) never connected; stderr:\n\(stderr)") }
            usleep(5_000)
        }
    }

    /// `query-chardev` as label → filename.
    func chardevFilenames(_ qmp: TestQMP) throws -> [String: String] {
        let reply = try qmp.execute("query-chardev")
        guard let object = try JSONSerialization.jsonObject(with: Data(reply.utf8)) as? [String: Any],
              let list = object["return"] as? [[String: Any]] else {
            throw RigError.failed("unexpected query-chardev reply: \(reply)")
        }
        var files: [String: String] = [:]
        for entry in list {
            if let label = entry["label"] as? String, let file = entry["filename"] as? String { files[label] = file }
        }
        return files
    }

    func record(_ frame: Frame, vnetField: Bool? = nil) -> [UInt8] {
        (try? RecordEncoder(vnetHeaderSupport: vnetField ?? vnet).record(payload: frame.bytes, vnetHeaderLength: frame.vnetHeaderLength)) ?? []
    }

    /// Waits until the process has read everything sent on `socket`.
    func waitUntilRead(_ socket: DriverSocket, timeoutMs: Int = 10_000) throws {
        let deadline = MonotonicClock.now + timeoutMs
        while socket.unreadOutgoingBytes > 0 {
            if MonotonicClock.now >= deadline { throw RigError.failed("\(program) never read \(socket.label)") }
            usleep(1_000)
        }
    }
}

/// Records read from one of the process's outputs.
final class RecordCollector {
    let socket: DriverSocket
    private var decoder: RecordDecoder
    private(set) var frames: [Frame] = []
    private(set) var isClosed = false

    init(_ socket: DriverSocket, vnetField: Bool = false) {
        self.socket = socket
        decoder = RecordDecoder(vnetHeaderSupport: vnetField)
    }

    /// Reads what arrives within `timeoutMs`.
    func poll(timeoutMs: Int) throws {
        guard !isClosed else { return }
        guard let bytes = try socket.receive(timeoutMs: timeoutMs, maximum: 1 << 20) else {
            isClosed = true
            return
        }
        _ = decoder.feed(bytes) { frames.append($0) }
    }

    /// Reads until `condition` holds on the frames received so far.
    func wait(timeoutMs: Int = 10_000, what: String, until condition: ([Frame]) -> Bool) throws {
        let deadline = MonotonicClock.now + timeoutMs
        while !condition(frames) {
            if MonotonicClock.now >= deadline || isClosed {
                throw RigError.failed("\(socket.label): \(isClosed ? "closed" : "timed out") waiting for \(what); have \(frames.count) record(s)")
            }
            try poll(timeoutMs: 20)
        }
    }

    func take() -> [Frame] {
        defer { frames.removeAll() }
        return frames
    }
}

/// The smallest QMP client: greeting, negotiation, one command at a time.
final class TestQMP {
    let socket: DriverSocket
    private var pending: [UInt8] = []

    init(socket: DriverSocket) throws {
        self.socket = socket
        _ = try line(containing: "\"QMP\"")
        _ = try execute("qmp_capabilities")
    }

    func execute(_ command: String, arguments: String? = nil) throws -> String {
        let request = arguments.map { "{\"execute\": \"\(command)\", \"arguments\": \($0)}\n" } ?? "{\"execute\": \"\(command)\"}\n"
        try socket.sendAll(Array(request.utf8))
        return try readReply()
    }

    /// The next reply or error, skipping events.
    func readReply() throws -> String {
        while true {
            let reply = try line(containing: nil)
            if reply.contains("\"return\"") || reply.contains("\"error\"") { return reply }
        }
    }

    private func line(containing text: String?) throws -> String {
        let deadline = MonotonicClock.now + 10_000
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeFirst(newline + 1)
                if text.map({ line.contains($0) }) ?? true { return line }
                continue
            }
            guard let bytes = try socket.receive(timeoutMs: 50) else { throw RigError.failed("QMP closed") }
            pending += bytes
            if MonotonicClock.now >= deadline { throw RigError.failed("QMP reply timed out") }
        }
    }
}

enum MonotonicClock {
    static var now: Int {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int(time.tv_sec) * 1000 + Int(time.tv_nsec) / 1_000_000
    }
}

/// Frames the scenarios use: markers compare forwards at once (not IPv4, C-3), and UDP.
enum ScenarioFrames {
    static func marker(_ index: Int, size: Int = 32) -> Frame {
        var payload = withUnsafeBytes(of: UInt32(index).bigEndian, Array.init)
        payload += Array(repeating: UInt8(truncatingIfNeeded: index), count: max(0, size - 18))
        return CaseFrames.ethernet(etherType: 0x88b6, payload: payload)
    }

    static func markerIndex(_ frame: Frame) -> Int? {
        guard frame.count >= 18, frame.bytes[12] == 0x88, frame.bytes[13] == 0xb6 else { return nil }
        return Int(frame.bytes[14]) << 24 | Int(frame.bytes[15]) << 16 | Int(frame.bytes[16]) << 8 | Int(frame.bytes[17])
    }

    static func udp(_ payload: String, port: UInt16 = 5000) -> Frame {
        CaseFrames.udp(from: Endpoint([10, 0, 0, 1], port), to: Endpoint([10, 0, 0, 2], 53), payload: Array(payload.utf8))
    }
}
