import Glibc
import Daemon

/// Matched pairs per second through a standalone compare process — QEMU's or `lockstep serve` —
/// driven over unix sockets by one driver: the same arguments, the same frames, the same flow
/// control. The compare's chardevs are clients of the driver's listeners (so no monitor is
/// needed to know they are connected). A benchmark: it reads the wall clock, to measure.
public enum ServeBenchmark {
    public struct Program: Sendable {
        public var label: String
        public var executable: String
        /// Words before QEMU's arguments (`serve` for lockstep).
        public var leadingArguments: [String]

        public init(label: String, executable: String, leadingArguments: [String] = []) {
            self.label = label
            self.executable = executable
            self.leadingArguments = leadingArguments
        }
    }

    public struct Measurement: Sendable {
        public var program: String
        public var workload: String
        /// Pairs measured (after the warm-up).
        public var pairs: Int
        public var seconds: Double
        /// The compare process's on-CPU time over the measured pairs, all threads, user + system.
        public var cpuSeconds: Double?
        /// The compare process's peak resident set (VmHWM) at the end of the run.
        public var peakResidentBytes: Int?

        public var pairsPerSecond: Double { Double(pairs) / seconds }
        public var pairsPerCPUSecond: Double? { cpuSeconds.map { Double(pairs) / max($0, 1e-9) } }
    }

    /// The arguments of the measured process: a standalone compare whose three chardevs
    /// connect to the driver's sockets in `directory`.
    public static func qemuArguments(directory: String) -> [String] {
        var words = ["-M", "none", "-nodefaults", "-display", "none", "-monitor", "none", "-serial", "none",
                     "-object", "iothread,id=iot0"]
        for id in ["pri", "sec", "out"] { words += ["-chardev", "socket,id=\(id),path=\(directory)/\(id).sock"] }
        words += ["-object", "colo-compare,id=comp0,primary_in=pri,secondary_in=sec,outdev=out,iothread=iot0"]
        return words
    }

    public static func run(_ program: Program, workload: ServeBenchmarkWorkload, pairs: Int) throws(DriverError) -> Measurement {
        var template = Array("/tmp/lkb.XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap { mkdtemp($0) } }) else {
            throw .system(SystemCallError("mkdtemp", target: "/tmp/lkb.XXXXXX", code: errno))
        }
        let directory = String(cString: made)
        defer {
            for id in ["pri", "sec", "out"] { unlink("\(directory)/\(id).sock") }
            rmdir(directory)
        }
        let listeners = try ["pri", "sec", "out"].map { id throws(DriverError) in
            try DriverListener(address: .unix(path: "\(directory)/\(id).sock"))
        }
        let stderrPath = "\(directory)/stderr.txt"
        defer { unlink(stderrPath) }
        let process: ChildProcess
        do {
            process = try ChildProcess(executable: program.executable,
                                       arguments: program.leadingArguments + qemuArguments(directory: directory),
                                       stderrPath: stderrPath)
        } catch {
            throw .system(error)
        }
        defer { process.kill() }
        // Generous: a program started under valgrind takes many seconds to connect.
        let primary = try listeners[0].accept(label: "primary_in", timeoutMs: 120_000)
        let secondary = try listeners[1].accept(label: "secondary_in", timeoutMs: 120_000)
        let output = try listeners[2].accept(label: "outdev", timeoutMs: 120_000)
        // The first pairs warm both programs up (allocator, page faults, connection table) and
        // are not counted: the clocks start once they have come out of outdev.
        var start: (records: Int, nanoseconds: Int64, usage: ProcessUsage?) = (0, 0, nil)
        let total = warmupPairs(pairs) + pairs
        try drive(workload, pairs: total, warmup: total - pairs, primary: primary, secondary: secondary, output: output,
                  process: process) { records in
            start = (records, MonotonicClock.nanoseconds(), process.usage)
        }
        let seconds = Double(MonotonicClock.nanoseconds() - start.nanoseconds) / 1e9
        let end = process.usage
        let cpu = start.usage.flatMap { before in end.map { Double($0.cpuNanoseconds - before.cpuNanoseconds) / 1e9 } }
        // A clean exit rather than SIGKILL, so that a program run under a profiler (valgrind,
        // perf) writes its results; the deferred kill covers one that does not stop in time.
        process.send(signal: SIGTERM)
        process.wait(timeoutMs: 30_000)
        return Measurement(program: program.label, workload: workload.name, pairs: total - start.records, seconds: seconds, cpuSeconds: cpu,
                           peakResidentBytes: end?.peakResidentBytes)
    }

    /// Pairs pushed before the measurement starts: a tenth of the measured ones.
    public static func warmupPairs(_ pairs: Int) -> Int { pairs / 10 }

    /// Sends both streams as fast as the process takes them, never more than the workload's
    /// window ahead of what came out of outdev, until every primary has come out; calls
    /// `warmedUp` with the count once at least `warmup` records have come out.
    private static func drive(_ workload: ServeBenchmarkWorkload, pairs: Int, warmup: Int, primary: DriverSocket,
                              secondary: DriverSocket, output: DriverSocket, process: ChildProcess,
                              warmedUp: (Int) -> Void) throws(DriverError) {
        let chunkPairs = 256
        var sender = [StreamSender(socket: primary, side: .primary), StreamSender(socket: secondary, side: .secondary)]
        var counter = RecordCounter()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var lastProgress = MonotonicClock.nanoseconds()
        var warming = warmup > 0
        if !warming { warmedUp(0) }
        while counter.records < pairs {
            for index in sender.indices {
                sender[index].refill(workload, limit: min(pairs, counter.records + workload.window), chunk: chunkPairs)
            }
            var entries = sender.map { pollfd(fd: $0.socket.fd, events: Int16($0.hasBytes ? POLLOUT : 0), revents: 0) }
            entries.append(pollfd(fd: output.fd, events: Int16(POLLIN), revents: 0))
            _ = poll(&entries, nfds_t(entries.count), 100)
            for index in sender.indices where entries[index].revents & Int16(POLLOUT) != 0 {
                try sender[index].write()
            }
            if entries[2].revents != 0 {
                switch try output.receiveSome(into: buffer) {
                case .bytes(let count):
                    counter.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                    lastProgress = MonotonicClock.nanoseconds()
                    if warming && counter.records >= warmup {
                        warming = false
                        warmedUp(counter.records)
                    }
                case .closed:
                    throw .closed("\(process.executable) outdev after \(counter.records) records; stderr: \(process.stderrText())")
                case .wouldBlock:
                    break
                }
            }
            if MonotonicClock.nanoseconds() - lastProgress > 10_000_000_000 {
                throw .timedOut("outdev records (\(counter.records) of \(pairs)); stderr: \(process.stderrText())")
            }
        }
    }

    private struct StreamSender {
        let socket: DriverSocket
        let side: ServeBenchmarkWorkload.Side
        var bytes: [UInt8] = []
        var offset = 0
        var queuedPairs = 0

        init(socket: DriverSocket, side: ServeBenchmarkWorkload.Side) {
            self.socket = socket
            self.side = side
        }

        var hasBytes: Bool { offset < bytes.count }

        mutating func refill(_ workload: ServeBenchmarkWorkload, limit: Int, chunk: Int) {
            guard !hasBytes, queuedPairs < limit else { return }
            bytes.removeAll(keepingCapacity: true)
            offset = 0
            let end = min(limit, queuedPairs + chunk)
            workload.append(side, pairs: queuedPairs..<end, to: &bytes)
            queuedPairs = end
        }

        mutating func write() throws(DriverError) {
            let result = bytes[offset...].withUnsafeBytes { raw in Result { () throws(DriverError) in try socket.sendSome(raw) } }
            offset += try result.get()
        }
    }

    /// Counts records in a byte stream without copying them (BE32 length, no V field).
    private struct RecordCounter {
        var records = 0
        private var headerBytes = 0
        private var length = 0
        private var remaining = 0

        mutating func feed(_ bytes: UnsafeRawBufferPointer) {
            var position = 0
            while position < bytes.count {
                if remaining > 0 {
                    let take = min(remaining, bytes.count - position)
                    remaining -= take
                    position += take
                    if remaining == 0 { records += 1 }
                    continue
                }
                length = length << 8 | Int(bytes[position])
                headerBytes += 1
                position += 1
                if headerBytes == 4 {
                    remaining = length
                    headerBytes = 0
                    length = 0
                    if remaining == 0 { records += 1 }
                }
            }
        }
    }
}
