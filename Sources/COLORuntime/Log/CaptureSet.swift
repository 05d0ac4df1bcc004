import Foundation
import Glibc
import Fabric
import Deployment

/// `--pcap-dir DIR`: one capture per link, timestamped with virtual time (nanosecond pcap):
///
/// - `client.pcap`: every frame the client sends and receives (the client ↔ tap link);
/// - `primary-nic.pcap`, `secondary-nic.pcap`: every frame each guest receives and sends;
/// - `pipe-<host>.<chardev>-<host>.<chardev>.pcap`: every record a chardev socket delivers,
///   de-framed, at its arrival;
/// - `compare-<id>-out.pcap`: every frame a compare released, when it released it.
///
/// Write errors are kept (the first one) and reported when the run ends; the run itself goes on.
final class CaptureSet {
    private(set) var writers: [PcapWriter] = []
    private var dumps: [PipeRecordDump] = []
    private(set) var failure: String?
    private unowned let scheduler: Scheduler

    init(directory: String, world: COLOWorld) throws(COLORunError) {
        scheduler = world.scheduler
        if let problem = Self.makeDirectory(directory) {
            throw .outputFailed(path: directory, reason: problem)
        }
        func open(_ name: String) throws(COLORunError) -> PcapWriter {
            let path = (directory as NSString).appendingPathComponent(name)
            do {
                let writer = try PcapWriter(path: path, precision: .nanoseconds)
                writers.append(writer)
                return writer
            } catch {
                throw .outputFailed(path: path, reason: error.description)
            }
        }
        let clientWriter = try open("client.pcap")
        world.client.onFrameIn = { [unowned self] frame in write(frame, to: clientWriter, skipping: 0) }
        world.client.onFrameOut = { [unowned self] frame in write(frame, to: clientWriter, skipping: 0) }
        for role in HostRole.allCases {
            let guest = world.host(role).guest
            let writer = try open("\(role)-nic.pcap")
            let skip = guest.host.stack.configuration.vnetHeaderLength
            guest.onFrameIn = { [unowned self] frame in write(frame, to: writer, skipping: skip) }
            guest.onFrameOut = { [unowned self] frame in write(frame, to: writer, skipping: skip) }
        }
        for link in world.pipes {
            let writer = try open("pipe-\(link.writer)-\(link.reader).pcap")
            dumps.append(PipeRecordDump(pipe: link.pipe, writer: writer))
        }
        for node in world.primary.compares + world.secondary.compares {
            let writer = try open("compare-\(node.id)-out.pcap")
            let previous = node.onWrite
            node.onWrite = { [unowned self] frame in
                previous?(frame)
                write(frame, to: writer, skipping: Int(frame.vnetHeaderLength))
            }
        }
    }

    private func write(_ frame: Frame, to writer: PcapWriter, skipping vnet: Int) {
        guard failure == nil else { return }
        let skip = min(vnet, frame.count)
        do {
            try writer.write(frame.bytes[skip...], at: PcapTimestamp(nanoseconds: UInt64(max(0, scheduler.now.nanoseconds))))
        } catch {
            failure = error.description
        }
    }

    /// Creates `path` and its missing parents; the reason it cannot, if it cannot (an existing
    /// file that is not a directory is refused, never replaced).
    static func makeDirectory(_ path: String) -> String? {
        guard !path.isEmpty else { return "the path is empty" }
        var info = stat()
        if stat(path, &info) == 0 {
            return (info.st_mode & S_IFMT) == S_IFDIR ? nil : "it exists and is not a directory"
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != path, let problem = makeDirectory(parent) {
            return problem.hasPrefix("'") ? problem : "'\(parent)': \(problem)"
        }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            return String(cString: strerror(errno))
        }
        return nil
    }

    /// Closes every file; returns the first problem, if any.
    func close() -> String? {
        for dump in dumps where failure == nil {
            if let error = dump.failure { failure = error.description }
        }
        for writer in writers {
            do {
                try writer.close()
            } catch {
                failure = failure ?? error.description
            }
        }
        return failure
    }
}
