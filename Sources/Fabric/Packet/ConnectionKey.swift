/// The 13-byte connection key shared by compare and rewriter (P-3, P-4).
///
/// `portWord` holds the four transport bytes QEMU copies into the key, in wire order: source
/// port in the high half, destination port in the low half for TCP-like protocols. QEMU stores
/// the halves in swapped named fields on little-endian hosts; that has no behavioural effect,
/// so the key here keeps wire order.
public struct ConnectionKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var addressA: IPv4Address
    public var addressB: IPv4Address
    public var portWord: UInt32
    public var ipProtocol: UInt8

    public init(addressA: IPv4Address, addressB: IPv4Address, portWord: UInt32, ipProtocol: UInt8) {
        self.addressA = addressA
        self.addressB = addressB
        self.portWord = portWord
        self.ipProtocol = ipProtocol
    }

    /// Field-wise equality, inlinable into the engines' tables (the synthesized `==` is not).
    @inlinable @inline(__always)
    public static func sameFields(_ a: ConnectionKey, _ b: ConnectionKey) -> Bool {
        a.addressA.value == b.addressA.value && a.addressB.value == b.addressB.value
            && a.portWord == b.portWord && a.ipProtocol == b.ipProtocol
    }

    /// A fixed multiply-xorshift mix of the 13 key bytes for the engines' open-addressing
    /// tables (compare's `ConnectionIndex`, the rewriter's key slots): cheap, independent of
    /// the process's hashing seed, and good enough for linear probing at half load.
    @inlinable @inline(__always)
    public static func probeHash(_ key: ConnectionKey) -> Int {
        let addresses = UInt64(key.addressA.value) << 32 | UInt64(key.addressB.value)
        let rest = UInt64(key.portWord) << 8 | UInt64(key.ipProtocol)
        var h = addresses &* 0x9E37_79B9_7F4A_7C15 ^ (rest &+ 0x632B_E59B_D9B4_E019) &* 0xC2B2_AE3D_27D4_EB4F
        h ^= h >> 31
        h &*= 0x94D0_49BB_1331_11EB
        h ^= h >> 29
        return Int(truncatingIfNeeded: h)
    }

    /// Which protocols put what in the port word (P-3): the first four transport bytes for
    /// TCP, UDP, DCCP, ESP, SCTP and UDP-Lite; bytes 4–7 for AH; nothing otherwise.
    @inlinable
    public static func portWordOffset(forProtocol proto: UInt8) -> Int? {
        switch proto {
        case IPProtocolNumber.tcp, IPProtocolNumber.udp, IPProtocolNumber.dccp,
             IPProtocolNumber.esp, IPProtocolNumber.sctp, IPProtocolNumber.udpLite: 0
        case IPProtocolNumber.ah: 4
        default: nil
        }
    }

    /// The key of a parsed frame. `reversed` is the rewriter's orientation for frames sent by
    /// the netdev: addresses and port halves swapped, so both directions share one key.
    /// For protocols without a port word QEMU leaves the whole key zero but for the
    /// protocol (P-3: addresses are only filled for port-word protocols).
    @inlinable @inline(__always)
    public init(bytes: [UInt8], layout: COLOPacketLayout, reversed: Bool = false) {
        let proto = layout.ipProtocol
        guard let offset = ConnectionKey.portWordOffset(forProtocol: proto) else {
            self.init(addressA: IPv4Address(0), addressB: IPv4Address(0), portWord: 0, ipProtocol: proto)
            return
        }
        let word = bytes.fastBE32(at: layout.transportOffset + offset)
        if reversed {
            self.init(addressA: layout.destination, addressB: layout.source,
                      portWord: word << 16 | word >> 16, ipProtocol: proto)
        } else {
            self.init(addressA: layout.source, addressB: layout.destination, portWord: word, ipProtocol: proto)
        }
    }

    public var reversedKey: ConnectionKey {
        ConnectionKey(addressA: addressB, addressB: addressA, portWord: portWord << 16 | portWord >> 16, ipProtocol: ipProtocol)
    }

    public var portA: UInt16 { UInt16(truncatingIfNeeded: portWord >> 16) }
    public var portB: UInt16 { UInt16(truncatingIfNeeded: portWord) }

    public var description: String {
        let name = IPProtocolNumber.name(ipProtocol)
        if ConnectionKey.portWordOffset(forProtocol: ipProtocol) == nil {
            return "\(name) (all traffic of this protocol)"
        }
        return "\(name) \(addressA):\(portA) > \(addressB):\(portB)"
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.addressA, lhs.addressB, lhs.portWord, lhs.ipProtocol) < (rhs.addressA, rhs.addressB, rhs.portWord, rhs.ipProtocol)
    }
}
