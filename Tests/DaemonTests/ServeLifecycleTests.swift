import Foundation
import Glibc
import Testing
import Fabric
import Daemon
import QEMUHarness

/// Start-up, connection management and deletion, against both programs.
@Suite("serve: start-up, reconnection, deletion (C-1, C-28, chardev semantics)", .serialized)
struct ServeLifecycleTests {
    private func queueThree(_ rig: CompareRig) throws -> (RecordCollector, [Frame]) {
        let pri = try rig.connect("pri"), out = try rig.connect("out")
        try rig.waitUntilConnected(["pri", "out"])
        let output = RecordCollector(out)
        let frames = ["a", "b", "c"].map { ScenarioFrames.udp($0) }
        try pri.sendAll(frames.flatMap { rig.record($0) } + rig.record(ScenarioFrames.marker(1)))
        try output.wait(what: "marker 1") { !$0.isEmpty }
        #expect(output.take() == [ScenarioFrames.marker(1)])
        return (output, frames)
    }

    @Test("C-28 as QEMU 7.2 does it: SIGTERM deletes the compare, whose flush writes to an outdev already detached: nothing comes out, exit 0",
          arguments: CompareProgram.available)
    func sigtermLosesFlushLikeQEMU(_ program: CompareProgram) throws {
        let rig = try CompareRig(program, lockstepOptions: ["--deletion-flush", "qemu"])
        let (output, _) = try queueThree(rig)
        rig.process.send(signal: SIGTERM)
        #expect(rig.process.wait(timeoutMs: 10_000) == 0, "\(program): \(rig.stderr)")
        try output.poll(timeoutMs: 200)
        #expect(output.frames.isEmpty, "\(program)")
        if program == .lockstep {
            #expect(rig.stderr.contains("dropped primary 3 (write_failed 3)") && rig.stderr.contains("deletion_flush 3"), "\(rig.stderr)")
        }
    }

    @Test("C-28 (lockstep default, --deletion-flush deliver): SIGTERM writes the flushed primaries to outdev, newest first for UDP, then exits 0")
    func sigtermDelivers() throws {
        let rig = try CompareRig(.lockstep)
        let (output, frames) = try queueThree(rig)
        rig.process.send(signal: SIGTERM)
        try output.wait(what: "the flush") { $0.count >= 3 }
        #expect(output.frames == frames.reversed())
        #expect(rig.process.wait(timeoutMs: 10_000) == 0, "\(rig.stderr)")
        #expect(rig.stderr.contains("released 4 (unparseable 1, deletion_flush 3)"), "\(rig.stderr)")
    }

    @Test("C-28 as QEMU 7.2 does it: QMP object-del of the compare flushes into a detached outdev; the process keeps running",
          arguments: CompareProgram.available)
    func objectDelLikeQEMU(_ program: CompareProgram) throws {
        let rig = try CompareRig(program, lockstepOptions: ["--deletion-flush", "qemu"])
        let (output, _) = try queueThree(rig)
        let reply = try rig.monitor.get().execute("object-del", arguments: #"{"id": "comp0"}"#)
        #expect(reply.contains("\"return\""), "\(program): \(reply)")
        try output.poll(timeoutMs: 300)
        #expect(output.frames.isEmpty, "\(program)")
        #expect(rig.process.isRunning, "\(program)")
    }

    @Test("A client chardev with reconnect= retries until its server exists and again after losing it",
          arguments: CompareProgram.available)
    func clientReconnects(_ program: CompareProgram) throws {
        let rig = try CompareRig(program, chardevs: [
            "socket,id=pri,path=DIR/driver-pri.sock,reconnect=1",
            "socket,id=sec,path=DIR/sec.sock,server=on,wait=off",
            "socket,id=out,path=DIR/out.sock,server=on,wait=off",
            "socket,id=nfy,path=DIR/nfy.sock,server=on,wait=off",
        ])
        let out = try rig.connect("out")
        try rig.waitUntilConnected(["out"])
        let output = RecordCollector(out)
        usleep(300_000)
        let listener = try DriverListener(address: .unix(path: rig.path("driver-pri")))
        let first = try listener.accept(label: "pri", timeoutMs: 5_000)
        try first.sendAll(rig.record(ScenarioFrames.marker(1)))
        try output.wait(what: "marker 1") { $0.count == 1 }
        first.close()
        let second = try listener.accept(label: "pri again", timeoutMs: 5_000)
        try second.sendAll(rig.record(ScenarioFrames.marker(2)))
        try output.wait(what: "marker 2") { $0.count == 2 }
        #expect(output.frames == [ScenarioFrames.marker(1), ScenarioFrames.marker(2)], "\(program)")
        #expect(rig.stderr.contains("Unable to connect character device pri"), "\(program): \(rig.stderr)")
    }

    @Test("A server without wait=off blocks start-up until its first client connects", arguments: CompareProgram.available)
    func serverWaits(_ program: CompareProgram) throws {
        let rig = try CompareRig(program, chardevs: [
            "socket,id=pri,path=DIR/pri.sock,server=on",
            "socket,id=sec,path=DIR/sec.sock,server=on,wait=off",
            "socket,id=out,path=DIR/out.sock,server=on,wait=off",
            "socket,id=nfy,path=DIR/nfy.sock,server=on,wait=off",
        ])
        let pri = try rig.connect("pri")
        usleep(300_000)
        // Before pri was accepted nothing after it existed; it was, so the rest follows.
        let out = try rig.connect("out")
        try rig.waitUntilConnected(["pri", "out"])
        let output = RecordCollector(out)
        try pri.sendAll(rig.record(ScenarioFrames.marker(1)))
        try output.wait(what: "marker 1") { !$0.isEmpty }
        #expect(rig.process.isRunning)
    }

    @Test("A server with wait blocks: nothing created after it exists yet", arguments: CompareProgram.available)
    func nothingAfterWaitingServer(_ program: CompareProgram) throws {
        let rig = try CompareRig(program, chardevs: [
            "socket,id=pri,path=DIR/pri.sock,server=on",
            "socket,id=sec,path=DIR/sec.sock,server=on,wait=off",
            "socket,id=out,path=DIR/out.sock,server=on,wait=off",
            "socket,id=nfy,path=DIR/nfy.sock,server=on,wait=off",
        ])
        let deadline = MonotonicClock.now + 5_000
        while !FileManager.default.fileExists(atPath: rig.path("pri")) && MonotonicClock.now < deadline { usleep(5_000) }
        usleep(200_000)
        #expect(FileManager.default.fileExists(atPath: rig.path("pri")), "\(program)")
        #expect(!FileManager.default.fileExists(atPath: rig.path("out")), "\(program): out exists before pri was accepted")
    }

    @Test("C-1 and option parsing: QEMU's refusals stop both programs with a non-zero status",
          arguments: CompareProgram.available, [
              ("no iothread", "colo-compare,id=c,primary_in=pri,secondary_in=sec,outdev=out", [String]()),
              ("same chardev twice", "colo-compare,id=c,primary_in=pri,secondary_in=pri,outdev=out,iothread=iot0", []),
              ("unknown property", "colo-compare,id=c,primary_in=pri,secondary_in=sec,outdev=out,iothread=iot0,timeout=5", []),
              ("unknown chardev", "colo-compare,id=c,primary_in=pri,secondary_in=sec,outdev=nothere,iothread=iot0", []),
              ("unknown option", "colo-compare,id=c,primary_in=pri,secondary_in=sec,outdev=out,iothread=iot0", ["-frobnicate"]),
              ("client nobody serves", "colo-compare,id=c,primary_in=pri,secondary_in=sec,outdev=out,iothread=iot0",
               ["-chardev", "socket,id=extra,path=/tmp/lockstep-nobody-listens.sock"]),
          ])
    func refusals(_ program: CompareProgram, _ refusal: (name: String, compare: String, extra: [String])) throws {
        let oracle = try program.oracleProgram()
        var words = ["-M", "none", "-nodefaults", "-display", "none", "-object", "iothread,id=iot0"]
        for id in ["pri", "sec", "out"] { words += ["-chardev", "socket,id=\(id),path=/tmp/lockstep-refusal-\(id)-\(getpid()).sock,server=on,wait=off"] }
        words += ["-object", refusal.compare] + refusal.extra
        let stderrPath = "/tmp/lockstep-refusal-\(getpid())-\(program).txt"
        let process = try ChildProcess(executable: oracle.executable, arguments: oracle.leadingArguments + words, stderrPath: stderrPath)
        defer {
            process.kill()
            unlink(stderrPath)
            for id in ["pri", "sec", "out"] { unlink("/tmp/lockstep-refusal-\(id)-\(getpid()).sock") }
        }
        let status = process.wait(timeoutMs: 10_000)
        #expect(status != nil && status != 0, "\(program) \(refusal.name): status \(String(describing: status)); \(process.stderrText())")
        if program == .lockstep { #expect(status == 1, "\(process.stderrText())") }
    }
}
