import Foundation
import Testing
import Fabric
import Deployment
import COLORuntime
import Scenarios

/// `client: pcap:` — the capture's client-side frames replayed at their relative times.
@Suite("Client pcap replay")
struct ScenarioPcapReplayTests {
    private static let clientMAC: [UInt8] = [0x02, 0, 0, 0, 0, 0x01]

    /// A gratuitous-ARP-like request from `source`.
    private static func arp(from source: [UInt8]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0xFF, count: 6) + source + [0x08, 0x06]
        bytes += [0, 1, 0x08, 0, 6, 4, 0, 1] + source + [10, 0, 0, 77] + [UInt8](repeating: 0, count: 6) + [10, 0, 0, 2]
        return bytes
    }

    private func writeCapture(in directory: URL) throws {
        let writer = try PcapWriter(path: directory.appendingPathComponent("client.pcap").path)
        try writer.write(Self.arp(from: Self.clientMAC), at: PcapTimestamp(nanoseconds: 5_000_000_000))
        try writer.write(Self.arp(from: [0x02, 0, 0, 0, 0, 0x09]), at: PcapTimestamp(nanoseconds: 5_010_000_000))
        try writer.write(Self.arp(from: Self.clientMAC), at: PcapTimestamp(nanoseconds: 5_050_000_000))
        try writer.close()
    }

    @Test("client-side frames (source MAC = client_mac) are sent at their times relative to the first record")
    func replay() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("lockstep-pcap-replay-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try writeCapture(in: directory)
        let base = """
            duration: 1s
            client: {workload: {connections: 1, requests: 1, response_size: 512}PCAP}
            expect: {checkpoints: {min: 0}}
            """
        let file = directory.appendingPathComponent("replay.yaml").path
        let scenario = try ScenarioParser.parse(base.replacingOccurrences(of: "PCAP", with: ", pcap: {file: client.pcap, client_mac: \"02:00:00:00:00:01\"}"), file: file)
        #expect(scenario.configuration.clientReplay.map(\.at) == [.zero, .milliseconds(50)])
        let plain = try #require(ScenarioRunner.run(try ScenarioParser.parse(base.replacingOccurrences(of: "PCAP", with: ""), file: file)).report)
        let replayed = try #require(ScenarioRunner.run(scenario).report)
        #expect(replayed.traffic.clientFramesSent == plain.traffic.clientFramesSent + 2)
        #expect(replayed.invariantsHold)
    }

    @Test("a missing capture or a bad MAC is an error at its node")
    func errors() {
        #expect(throws: ScenarioFileErrors.self) {
            try ScenarioParser.parse("duration: 1s\nclient: {pcap: {file: /nonexistent.pcap, client_mac: \"02:00:00:00:00:01\"}}\nexpect: {checkpoints: 0}\n", file: "/tmp/x.yaml")
        }
        #expect(throws: ScenarioFileErrors.self) {
            try ScenarioParser.parse("duration: 1s\nclient: {pcap: {file: a.pcap, client_mac: nope}}\nexpect: {checkpoints: 0}\n", file: "/tmp/x.yaml")
        }
    }
}
