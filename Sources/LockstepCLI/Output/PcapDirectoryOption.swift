import ArgumentParser
import Glibc

/// `--pcap-dir DIR`: a folder the run creates (with its parents) or fills. Something else
/// already at DIR (a file, a device, a FIFO) is refused before any work, never replaced.
enum PcapDirectoryOption {
    static func check(_ path: String?, option: String = "--pcap-dir") throws {
        guard let path else { return }
        var info = stat()
        if path.isEmpty { throw ValidationError("\(option) is empty; give a folder") }
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFDIR {
            throw ValidationError("\(option) '\(path)' exists and is not a directory")
        }
    }
}
