import Fabric

/// Where the client and the guest sit on the host network, in every run: the direct run's guest
/// and both COLO guests answer at the guest's address (and MAC, unless the topology's NIC sets
/// `mac=`).
public enum HostNetwork {
    public static let clientAddress = IPv4Address(10, 0, 0, 1)
    public static let guestAddress = IPv4Address(10, 0, 0, 2)
    public static let clientMAC = MACAddress([0x52, 0x54, 0x00, 0x00, 0x00, 0x01])
    public static let guestMAC = MACAddress([0x52, 0x54, 0x00, 0x12, 0x34, 0x56])
}
