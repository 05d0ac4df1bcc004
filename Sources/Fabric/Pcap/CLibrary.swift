import Glibc

/// The C library calls the pcap types need, in one place so the platform switch is written once.
package enum CLibrary {
    /// Whether `count` bytes at `a` and `b` are equal (the C library's vectorised compare).
    package static func bytesEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
        memcmp(a, b, count) == 0
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    static var lastErrorCode: Int32 { errno }

    static func fileExists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    static func isReadable(_ path: String) -> Bool {
        access(path, R_OK) == 0
    }

    static func hasError(_ file: UnsafeMutablePointer<FILE>) -> Bool {
        ferror(file) != 0
    }

    static func position(_ file: UnsafeMutablePointer<FILE>) -> Int64 {
        Int64(ftello(file))
    }
}
