import Foundation
import Yams
import Fabric
import COLORuntime

/// `client: pcap: {file, client_mac}` — the client also sends the capture's client-side frames
/// (those whose Ethernet source is `client_mac`) at their times relative to the capture's first
/// record, through the host network to the active tap.
extension ScenarioBuilder {
    mutating func readReplay(_ node: Node) {
        guard let fields = reader.fields(node, "the pcap replay", known: ["file", "client_mac"], required: ["file", "client_mac"]),
              let fileNode = fields["file"], let path = reader.string(fileNode, "the pcap file"),
              let macNode = fields["client_mac"], let macText = reader.string(macNode, "the client's MAC address") else { return }
        guard let mac = MACAddress(parsing: macText) else {
            reader.error(at: macNode, "expected a MAC address like 52:54:00:12:34:56, got '\(macText)'")
            return
        }
        let resolved = path.hasPrefix("/") ? path
            : URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(path).path
        let records: [PcapRecord]
        do {
            records = try PcapReader.readAll(path: resolved)
        } catch {
            reader.error(at: fileNode, "expected a readable pcap file: \(error)")
            return
        }
        guard let first = records.first?.timestamp.nanoseconds else { return }
        for record in records where record.capturedBytes.count >= 14 && Array(record.capturedBytes[6..<12]) == mac.octets {
            guard record.capturedBytes.count == record.originalLength else {
                let problem = record.isTruncated
                    ? "keeps \(record.capturedBytes.count) of its \(record.originalLength) bytes (cut short by the capture)"
                    : "holds \(record.capturedBytes.count) bytes but claims a wire length of \(record.originalLength)"
                reader.error(at: fileNode, "expected whole frames in '\(resolved)': record \(record.index) \(problem)")
                return
            }
            guard !record.fractionOutOfRange else {
                reader.error(at: fileNode, "expected valid timestamps in '\(resolved)': record \(record.index) has a sub-second field of a second or more")
                return
            }
            let offset = record.timestamp.nanoseconds >= first ? record.timestamp.nanoseconds - first : 0
            let at = VirtualDuration(nanoseconds: Int64(clamping: offset))
            configuration.clientReplay.append(ReplayedFrame(at: at, Frame(record.capturedBytes)))
        }
        // Captures are usually in time order; a stable sort keeps file order for equal times.
        configuration.clientReplay = configuration.clientReplay.enumerated()
            .sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
    }
}
