import Glibc
import Testing
import Fabric
import Primary
import Daemon
import QEMUHarness

/// The same compare over TCP chardevs on loopback (host=127.0.0.1,port=N), both programs.
@Suite("serve: TCP chardevs on loopback", .serialized)
struct ServeTCPTests {
    /// Free loopback ports: bind port 0, read the port, close (a race with other programs is
    /// possible but unlikely on a test machine).
    static func freePorts(_ count: Int) throws -> [UInt16] {
        var ports: [UInt16] = []
        var holders: [Int32] = []
        defer { holders.forEach { close($0) } }
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw -> Bool in
                    bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
                }
            }
            guard bound else { throw RigError.failed("no free port") }
            ports.append(UInt16(bigEndian: address.sin_port))
            holders.append(fd)
        }
        return ports
    }

    @Test("C-10..C-20 over TCP: a matched pair, a mismatch (DO_CHECKPOINT) and a flush give the same outputs",
          arguments: CompareProgram.available)
    func tcpChardevs(_ program: CompareProgram) throws {
        let ports = try Self.freePorts(4)
        let names = ["pri", "sec", "out", "nfy"]
        let rig = try CompareRig(program, chardevs: zip(names, ports).map { "socket,id=\($0),host=127.0.0.1,port=\($1),server=on,wait=off,nodelay=on" })
        func connect(_ index: Int) throws -> DriverSocket {
            try DriverSocket.connect(to: .inet(host: "127.0.0.1", port: "\(ports[index])"), label: "\(program) \(names[index])")
        }
        let pri = try connect(0), sec = try connect(1), out = try connect(2), nfy = try connect(3)
        try rig.waitUntilConnected(names)
        let output = RecordCollector(out), requests = RecordCollector(nfy)
        let guest = Endpoint([10, 0, 0, 1], 80), client = Endpoint([10, 0, 0, 9], 40_000)
        let segment = CaseFrames.tcp(from: guest, to: client, seq: 1000, ack: 1, flags: [.ack, .psh], payload: Array("hello".utf8))
        try pri.sendAll(rig.record(segment))
        try sec.sendAll(rig.record(segment))
        try output.wait(what: "the matched segment") { !$0.isEmpty }
        #expect(output.take() == [segment], "\(program)")

        let p = ScenarioFrames.udp("left"), s = ScenarioFrames.udp("right")
        try pri.sendAll(rig.record(p))
        try rig.waitUntilRead(pri)
        try sec.sendAll(rig.record(s))
        try requests.wait(what: "DO_CHECKPOINT") { !$0.isEmpty }
        #expect(requests.take() == [Frame(NotifyProtocol.doCheckpoint)], "\(program)")
        try nfy.sendAll(rig.record(Frame(NotifyProtocol.checkpoint)))
        try output.wait(what: "the flush") { !$0.isEmpty }
        #expect(output.take() == [p], "\(program)")
    }
}
