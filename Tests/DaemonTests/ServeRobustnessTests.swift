import Glibc
import Testing
import Fabric
import Primary
import Daemon
import QEMUHarness

/// Hostile peers: garbage everywhere, peers that vanish, peers that never read.
@Suite("serve: hostile peers", .serialized)
struct ServeRobustnessTests {
    /// A seeded byte source (xorshift), so a failure can be replayed.
    struct Bytes {
        var state: UInt64
        mutating func next(_ count: Int) -> [UInt8] {
            (0..<count).map { _ in
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                return UInt8(truncatingIfNeeded: state)
            }
        }
    }

    @Test("Seeded garbage on every socket, peers disconnecting mid-record: the daemon never crashes, keeps its monitor, and exits 0",
          arguments: [UInt64(1), 2, 3])
    func garbageEverywhere(seed: UInt64) throws {
        let rig = try CompareRig(.lockstep)
        var random = Bytes(state: seed &* 0x9E37_79B9_7F4A_7C15 | 1)
        for round in 0..<5 {
            var sockets: [DriverSocket] = []
            for name in ["pri", "sec", "out", "nfy"] {
                let socket = try rig.connect(name)
                sockets.append(socket)
                // Plausible lengths now and then, so records complete and reach the engine.
                var bytes: [UInt8] = []
                for _ in 0..<20 {
                    let length = Int(random.next(1)[0]) + 14
                    bytes += [0, 0, UInt8(length >> 8), UInt8(length & 0xff)] + random.next(length)
                }
                bytes += random.next(Int(random.next(1)[0]) * 16)
                _ = try bytes.withUnsafeBytes { try socket.sendSome($0) }
            }
            usleep(20_000)
            // Every other round the peers vanish mid-stream; the rest stay connected.
            if round % 2 == 0 { sockets.forEach { $0.close() } }
        }
        let qmp = try rig.monitor.get()
        #expect(try qmp.execute("query-status").contains("running"), "\(rig.stderr)")
        rig.process.send(signal: SIGTERM)
        #expect(rig.process.wait(timeoutMs: 10_000) == 0, "\(rig.stderr)")
        #expect(rig.stderr.contains("comp0: records in:"), "\(rig.stderr)")
    }

    @Test("Shutdown with an outdev peer that never reads ends at --shutdown-timeout and names what was not written")
    func shutdownTimeout() throws {
        let rig = try CompareRig(.lockstep, lockstepOptions: ["--shutdown-timeout", "0.5"])
        let pri = try rig.connect("pri"), out = try rig.connect("out")
        try rig.waitUntilConnected(["pri", "out"])
        var bytes: [UInt8] = []
        for index in 0..<300 { bytes += rig.record(ScenarioFrames.udp(String(repeating: "x", count: 1_400) + "\(index)", port: UInt16(index % 50))) }
        try pri.sendAll(bytes)
        try rig.waitUntilRead(pri)
        let start = MonotonicClock.now
        rig.process.send(signal: SIGTERM)
        #expect(rig.process.wait(timeoutMs: 10_000) == 0)
        #expect(MonotonicClock.now - start < 5_000)
        #expect(rig.stderr.contains("not written before the shutdown timeout"), "\(rig.stderr)")
        #expect(rig.stderr.contains("write_failed"), "\(rig.stderr)")
        _ = out
    }

    @Test("A monitor client that never reads its replies is disconnected, and the compare keeps serving")
    func monitorThatNeverReads() throws {
        let rig = try CompareRig(.lockstep)
        let pri = try rig.connect("pri"), out = try rig.connect("out")
        try rig.waitUntilConnected(["pri", "out"])
        // The monitor serves one connection at a time: let the rig's go, flood with another.
        try rig.monitor.get().socket.close()
        let qmp = try rig.connect("qmp")
        let request = Array(String(repeating: #"{"execute": "query-chardev"}"#, count: 2_000).utf8)
        var sent = 0
        let deadline = MonotonicClock.now + 5_000
        while sent < request.count * 20 && MonotonicClock.now < deadline {
            // The daemon hangs up on us at some point: that ends the flood.
            guard let n = try? request.withUnsafeBytes({ try qmp.sendSome($0) }) else { break }
            if n == 0 { usleep(1_000) }
            sent += n
        }
        let output = RecordCollector(out)
        try pri.sendAll(rig.record(ScenarioFrames.marker(1)))
        try output.wait(what: "marker 1") { !$0.isEmpty }
        #expect(rig.process.isRunning)
        #expect(rig.stderr.contains("does not read its replies"), "\(rig.stderr)")
        // The monitor accepts the next client.
        #expect(try TestQMP(socket: rig.connect("qmp")).execute("query-status").contains("running"))
    }
}
