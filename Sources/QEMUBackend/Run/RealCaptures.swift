import Foundation
import Fabric
import COLORuntime

/// `--pcap-dir` for a real-QEMU run: the same files an emulated run writes, from what Lockstep
/// saw — `client.pcap`, `primary-nic.pcap` and `secondary-nic.pcap` (Lockstep's own stacks),
/// `pipe-<writer>-<reader>.pcap` (each chardev link's records, as its writer framed them) and
/// `compare-<id>-out.pcap` (the records QEMU's compare released). Timestamps are run time.
final class RealCaptures {
    private let directory: String
    private var writers: [String: PcapWriter] = [:]
    private(set) var failure: String?

    init(directory: String) throws(QEMUBackendError) {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .setup("cannot create \(directory): \(error.localizedDescription)")
        }
    }

    func write(_ frame: Frame, to name: String, at time: VirtualTime) {
        guard failure == nil else { return }
        do {
            let writer: PcapWriter
            if let open = writers[name] {
                writer = open
            } else {
                writer = try PcapWriter(path: (directory as NSString).appendingPathComponent("\(name).pcap"), precision: .nanoseconds)
                writers[name] = writer
            }
            let skip = min(Int(frame.vnetHeaderLength), frame.count)
            try writer.write(frame.bytes[skip...], at: PcapTimestamp(nanoseconds: UInt64(max(0, time.nanoseconds))))
        } catch {
            failure = "\(name).pcap: \(error)"
        }
    }

    /// Where Lockstep's side reports the client's and the guests' frames.
    func sideObserver(scheduler: Scheduler) -> LockstepSide.FrameObserver {
        LockstepSide.FrameObserver(
            client: { [unowned self] frame in write(frame, to: "client", at: scheduler.now) },
            guest: { [unowned self] role, frame in write(frame, to: "\(role)-nic", at: scheduler.now) })
    }

    /// Closes every file; the first problem, if any.
    func close() -> String? {
        for (_, writer) in writers.sorted(by: { $0.key < $1.key }) {
            do { try writer.close() } catch { failure = failure ?? error.description }
        }
        writers.removeAll()
        return failure
    }
}
