import Glibc

/// Lockstep's side of one of QEMU's `-netdev dgram` unix sockets: bound at `localPath`, sending
/// to QEMU's socket at `remotePath`. One datagram is one Ethernet frame. Bound before QEMU
/// starts, because QEMU's first sends to a missing peer are lost.
final class DatagramEnd {
    let localPath: String
    let remotePath: String
    private(set) var fd: Int32
    /// Frames QEMU was not ready to take (its socket buffer full, or QEMU gone).
    private(set) var sendFailures = 0
    private var buffer = [UInt8](repeating: 0, count: 65_536)

    init(localPath: String, remotePath: String) throws(BackendSocketError) {
        self.localPath = localPath
        self.remotePath = remotePath
        fd = try UnixSocketAddress.socket(SOCK_DGRAM)
        try UnixSocketAddress.bind(fd, path: localPath)
    }

    deinit { close() }

    func send(_ bytes: [UInt8]) {
        let sent = try? UnixSocketAddress.withAddress(remotePath) { address, length in
            bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), address, length) }
        }
        if (sent ?? -1) < 0 { sendFailures += 1 }
    }

    /// The next datagram waiting, or nil.
    func receive() -> [UInt8]? {
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return count > 0 ? Array(buffer[0..<count]) : nil
    }

    func close() {
        guard fd >= 0 else { return }
        Glibc.close(fd)
        fd = -1
        unlink(localPath)
    }
}
