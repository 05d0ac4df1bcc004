import Glibc

/// Lockstep's side of one of QEMU's `-netdev dgram` unix sockets: bound at `localPath`, sending
/// to QEMU's socket at `remotePath`. One datagram is one Ethernet frame. Bound before QEMU
/// starts, because QEMU's first sends to a missing peer are lost.
final class DatagramEnd {
    let localPath: String
    let remotePath: String
    private(set) var fd: Int32
    /// Frames waiting because QEMU's socket buffer was full; they go, in order, when it drains.
    /// (A tap's kernel queue holds frames the same way.)
    private var backlog: [[UInt8]] = []
    private var backlogStart = 0
    /// The kernel's default tap `txqueuelen`: beyond it frames are dropped, as a tap drops them.
    static let backlogLimit = 1_000
    /// Frames dropped because the backlog was full, or because QEMU's socket is gone.
    private(set) var sendFailures = 0
    private(set) var framesSent = 0
    private(set) var framesHanded = 0
    var backlogCount: Int { backlog.count - backlogStart }
    private var buffer = [UInt8](repeating: 0, count: 65_536)

    init(localPath: String, remotePath: String) throws(BackendSocketError) {
        self.localPath = localPath
        self.remotePath = remotePath
        fd = try UnixSocketAddress.socket(SOCK_DGRAM)
        try UnixSocketAddress.bind(fd, path: localPath)
    }

    deinit { close() }

    func send(_ bytes: [UInt8]) {
        framesHanded += 1
        guard hasBacklog || !trySend(bytes) else { return }
        guard backlog.count - backlogStart < Self.backlogLimit else {
            sendFailures += 1
            return
        }
        backlog.append(bytes)
    }

    var hasBacklog: Bool { backlogStart < backlog.count }

    /// Sends what waits, while QEMU's socket takes it.
    func flushBacklog() {
        while backlogStart < backlog.count, trySend(backlog[backlogStart]) {
            backlogStart += 1
        }
        if backlogStart == backlog.count {
            backlog.removeAll(keepingCapacity: true)
            backlogStart = 0
        }
    }

    /// True when the datagram left or can never leave (counted); false when the socket is full.
    private func trySend(_ bytes: [UInt8]) -> Bool {
        let sent = try? UnixSocketAddress.withAddress(remotePath) { address, length in
            bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), address, length) }
        }
        if let sent, sent >= 0 {
            framesSent += 1
            return true
        }
        let error = errno
        if error == EAGAIN || error == EWOULDBLOCK || error == ENOBUFS { return false }
        sendFailures += 1
        return true
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
