import Glibc

/// What a running process has used so far, read from Linux /proc: CPU time over all its
/// threads and its peak resident set. The benchmark compares programs per CPU second, and on a
/// shared machine that needs better than the 10 ms ticks of /proc/PID/stat.
public struct ProcessUsage: Sendable, Hashable {
    /// On-CPU time of every live thread (user and system), in nanoseconds.
    public var cpuNanoseconds: Int64
    /// Peak resident set size (VmHWM), in bytes; nil where /proc does not say.
    public var peakResidentBytes: Int?

    public var cpuSeconds: Double { Double(cpuNanoseconds) / 1e9 }

    /// Nil when the process is gone or /proc cannot be read.
    public static func of(_ pid: pid_t) -> ProcessUsage? {
        guard pid > 0, let cpu = cpuNanoseconds(pid) else { return nil }
        return ProcessUsage(cpuNanoseconds: cpu, peakResidentBytes: peakResidentBytes(pid))
    }

    /// Sums the first field of /proc/PID/task/TID/schedstat (ns on the CPU) over the threads:
    /// QEMU runs the compare in its iothread, so the main thread alone would miss it. Falls back
    /// to utime + stime of /proc/PID/stat (clock ticks) where schedstat is missing.
    static func cpuNanoseconds(_ pid: pid_t) -> Int64? {
        if let directory = opendir("/proc/\(pid)/task") {
            defer { closedir(directory) }
            var total: Int64 = 0
            var threads = 0
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                guard Int(name) != nil, let text = read("/proc/\(pid)/task/\(name)/schedstat"),
                      let first = text.split(separator: " ").first, let nanoseconds = Int64(first) else { continue }
                total += nanoseconds
                threads += 1
            }
            if threads > 0 { return total }
        }
        guard let text = read("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Int64(fields[11]), let system = Int64(fields[12]) else { return nil }
        return (user + system) * 1_000_000_000 / Int64(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// VmHWM from /proc/PID/status (kB).
    static func peakResidentBytes(_ pid: pid_t) -> Int? {
        guard let text = read("/proc/\(pid)/status") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            if words.count >= 2, let kilobytes = Int(words[1]) { return kilobytes * 1024 }
        }
        return nil
    }

    private static func read(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = fread(&bytes, 1, bytes.count, file)
        return count > 0 ? String(decoding: bytes[0..<count], as: UTF8.self) : nil
    }
}
