#if canImport(Glibc)
import Glibc
#endif

/// Files a target writes beside libFuzzer's crash files, right before it traps.
public enum ArtifactFile {
    /// Where the crash file of `input` goes: libFuzzer names it `crash-<sha1 of the input>`
    /// after `-artifact_prefix`.
    public static func crashPath(of input: [UInt8]) -> String {
        FuzzProcess.artifactPrefix + "crash-" + SHA1.hex(input)
    }

    /// Writes `bytes` to `path` whole or not at all: plain POSIX calls (nothing buffered that
    /// the coming trap could lose), a temporary file synced and renamed into place so that a
    /// reader never sees half a file. Returns whether it worked.
    public static func write(_ bytes: [UInt8], to path: String) -> Bool {
        let temporary = "\(path).tmp\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { return false }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { break }
            offset += written
        }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard offset == bytes.count, synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }
}
