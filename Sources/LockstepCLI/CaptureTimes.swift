/// Times the capture tools take on the command line, in µs after the first frame: at most what
/// the 64-bit nanosecond clock of a pcap timestamp can reach.
enum CaptureTimes {
    static let latestUs = Int64.max / 1000
}
