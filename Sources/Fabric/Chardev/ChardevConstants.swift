/// Sizes fixed by QEMU that the chardev framing and pipes reproduce.
public enum ChardevConstants {
    /// `NET_BUFSIZE` (4096 + 65 536): the reader's capacity for one record's payload (W-5.3) and
    /// the most a COLO consumer accepts per read callback (W-6).
    public static let netBufferSize = 69_632

    /// Bytes per field in a record header: the BE32 length and, with vnet support, the BE32 V (W-1).
    public static let headerFieldSize = 4

    /// The most a socket chardev hands its frontend per read callback: QEMU reads the socket
    /// into a stack buffer of this size (`CHR_READ_BUF_LEN`) before calling the frontend, so
    /// real read chunks never exceed it.
    public static let socketReadBufferSize = 4_096
}
