import Foundation
import Glibc
import Testing
import Fabric
import Primary
import Daemon
import QEMUHarness

/// `lockstep serve` against the hostile-input classes of issue #19: what QEMU answers, it
/// answers; what fails is logged and counted; nothing at a socket path is replaced silently.
@Suite("serve: hostile input", .serialized)
struct ServeHostileInputTests {
    @Test("A second object-del of a deleted compare is 'not found', as QEMU answers", arguments: CompareProgram.available)
    func secondObjectDel(_ program: CompareProgram) throws {
        let rig = try CompareRig(program)
        let qmp = try rig.monitor.get()
        let first = try qmp.execute("object-del", arguments: #"{"id": "comp0"}"#)
        #expect(first.contains("\"return\""), "\(program): \(first)")
        let second = try qmp.execute("object-del", arguments: #"{"id": "comp0"}"#)
        #expect(second.contains("GenericError") && second.contains("object 'comp0' not found"), "\(program): \(second)")
    }

    @Test("A decision log on a full device: the failed writes are logged and counted, the daemon keeps serving")
    func decisionLogOnFullDevice() throws {
        let rig = try CompareRig(.lockstep, lockstepOptions: ["--decision-log", "/dev/full"])
        let pri = try rig.connect("pri"), sec = try rig.connect("sec"), out = try rig.connect("out")
        try rig.waitUntilConnected(["pri", "sec", "out"])
        let output = RecordCollector(out)
        let frames = (0..<10).map { ScenarioFrames.udp("datagram \($0)") }
        for frame in frames {
            try pri.sendAll(rig.record(frame))
            try sec.sendAll(rig.record(frame))
        }
        try output.wait(what: "every pair") { $0.count == frames.count }
        let deadline = MonotonicClock.now + 5_000
        while !rig.stderr.contains("decision log /dev/full: write failed") && MonotonicClock.now < deadline { usleep(10_000) }
        #expect(rig.stderr.contains("decision log /dev/full: write failed (No space left on device)"), "\(rig.stderr)")
        #expect(rig.process.isRunning)
        rig.process.send(signal: SIGTERM)
        #expect(rig.process.wait(timeoutMs: 10_000) == 0)
        #expect(rig.stderr.contains("bytes of decisions lost"), "\(rig.stderr)")
    }

    @Test("A regular file where a unix socket goes is replaced (as QEMU 7.2 does) and the log says so")
    func regularFileAtSocketPath() throws {
        let folder = "/tmp/lockstep-stale-\(getpid())"
        mkdir(folder, 0o755)
        defer {
            unlink("\(folder)/pri.sock")
            rmdir(folder)
        }
        let stale = "\(folder)/pri.sock"
        #expect(FileManager.default.createFile(atPath: stale, contents: Data("not a socket\n".utf8)))
        let rig = try CompareRig(.lockstep, chardevs: [
            "socket,id=pri,path=\(stale),server=on,wait=off",
            "socket,id=sec,path=DIR/sec.sock,server=on,wait=off",
            "socket,id=out,path=DIR/out.sock,server=on,wait=off",
            "socket,id=nfy,path=DIR/nfy.sock,server=on,wait=off",
        ])
        _ = try DriverSocket.connect(to: .unix(path: stale), label: "pri", retryForMs: 10_000)
        #expect(rig.stderr.contains("replacing the regular file at \(stale) with the socket"), "\(rig.stderr)")
    }

    @Test("Daemon options out of range are refused before anything is served, with the option's name",
          arguments: [
              ("--shutdown-timeout=inf", "--shutdown-timeout"), ("--shutdown-timeout=nan", "--shutdown-timeout"),
              ("--shutdown-timeout=1e308", "--shutdown-timeout"), ("--shutdown-timeout=-1", "--shutdown-timeout"),
              ("--max-pending-output=-1", "--max-pending-output"), ("--max-pending-output=16777217", "--max-pending-output"),
          ])
    func optionRanges(_ option: String, _ name: String) throws {
        let (status, error) = try Self.serve([option, "--", "-M", "none"])
        #expect(status == 64, "\(option): \(error)")
        #expect(error.hasPrefix("Error: \(name) must be"), "\(option): \(error)")
        #expect(error.split(separator: "\n").count == 1, "\(option): \(error)")
    }

    @Test("A negative number after the option is its value, not an unknown option")
    func negativeValueIsAValue() throws {
        let (status, error) = try Self.serve(["--max-pending-output", "-1", "--", "-M", "none"])
        #expect(status == 64)
        #expect(error.contains("--max-pending-output must be between 0 and 16777216 (got -1)"), "\(error)")
    }

    /// `lockstep serve ARGUMENTS` run to its end: (exit status, stderr).
    static func serve(_ arguments: [String]) throws -> (Int32, String) {
        let binary = try #require(ServeBinary.path, "\(ServeBinary.notFound)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve"] + arguments
        let error = Pipe()
        process.standardError = error
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
