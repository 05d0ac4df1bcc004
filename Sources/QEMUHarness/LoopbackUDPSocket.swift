import Glibc

/// A UDP socket bound to 127.0.0.1 on a kernel-chosen port; used as the far end of the
/// rewriter oracle's socket netdev so that any frame leaking to the "wire" is seen.
final class LoopbackUDPSocket {
    private(set) var fd: Int32
    let port: UInt16

    init() throws(OracleError) {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .systemCall(operation: "socket(AF_INET, SOCK_DGRAM)", errno: errno, detail: "") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        guard bound else {
            let error = errno
            _ = Glibc.close(fd)
            throw .systemCall(operation: "bind 127.0.0.1:0", errno: error, detail: "")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        self.fd = fd
        self.port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close() }

    /// A port that was free a moment ago, for QEMU to bind. The tiny race with other
    /// processes is accepted: a collision makes QEMU exit with a clear bind error.
    static func vacantPort() throws(OracleError) -> UInt16 {
        let probe = try LoopbackUDPSocket()
        defer { probe.close() }
        return probe.port
    }

    /// Every datagram queued now.
    func receiveAll() -> [[UInt8]] {
        var datagrams: [[UInt8]] = []
        var buffer = [UInt8](repeating: 0, count: 70_000)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count >= 0 else { return datagrams }
            datagrams.append(Array(buffer[0..<count]))
        }
    }

    func close() {
        if fd >= 0 {
            _ = Glibc.close(fd)
            fd = -1
        }
    }
}
