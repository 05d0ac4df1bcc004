/// Builds well-formed frames: Ethernet (optionally tagged), IPv4 with options, TCP with
/// options, UDP, ICMP, ARP and IPv6. Checksums are filled in unless the caller asks for a bad
/// one (tests need both).
public struct IPv4FrameBuilder: Sendable {
    public var sourceMAC = MACAddress([0x52, 0x54, 0x00, 0x00, 0x00, 0x01])
    public var destinationMAC = MACAddress([0x52, 0x54, 0x00, 0x00, 0x00, 0x02])
    public var source: IPv4Address
    public var destination: IPv4Address
    /// VLAN tags outer first, as (TPID, TCI).
    public var vlanTags: [(tpid: UInt16, tci: UInt16)] = []
    /// Bytes of virtio-net header to put in front; the frame's V is their count.
    public var vnetHeader: [UInt8] = []
    public var identification: UInt16 = 0
    public var ttl: UInt8 = 64
    public var tos: UInt8 = 0
    public var dontFragment = true
    public var moreFragments = false
    public var fragmentOffset: UInt16 = 0
    /// IPv4 options, padded with zeros to a multiple of four bytes.
    public var ipOptions: [UInt8] = []
    /// Bytes appended after the IP datagram (Ethernet padding); counted in the frame only.
    public var trailer: [UInt8] = []

    public init(source: IPv4Address, destination: IPv4Address) {
        self.source = source
        self.destination = destination
    }

    /// A TCP segment with the checksum computed over the pseudo-header (or `checksumOverride`).
    public func tcp(
        sourcePort: UInt16, destinationPort: UInt16, seq: UInt32, ack: UInt32 = 0,
        flags: TCPFlags, window: UInt16 = 65_535, urgentPointer: UInt16 = 0,
        options: [TCPOption] = [], rawOptions: [UInt8]? = nil, payload: [UInt8] = [], checksumOverride: UInt16? = nil
    ) -> Frame {
        var segment: [UInt8] = []
        segment.reserveCapacity(60 + payload.count)
        segment.appendBE16(sourcePort)
        segment.appendBE16(destinationPort)
        segment.appendBE32(seq)
        segment.appendBE32(ack)
        // Raw option bytes let tests send what no well-behaved encoder would (truncated options).
        let optionBytes = rawOptions ?? IPv4FrameBuilder.encode(options)
        segment.append(UInt8((20 + optionBytes.count) / 4) << 4)
        segment.append(flags.rawValue)
        segment.appendBE16(window)
        segment.appendBE16(0)
        segment.appendBE16(urgentPointer)
        segment += optionBytes
        segment += payload
        let sum = checksumOverride ?? transportChecksum(segment, protocol: IPProtocolNumber.tcp)
        segment.setBE16(sum, at: 16)
        return datagram(protocol: IPProtocolNumber.tcp, payload: segment)
    }

    public func udp(sourcePort: UInt16, destinationPort: UInt16, payload: [UInt8], checksumOverride: UInt16? = nil) -> Frame {
        var datagramBytes: [UInt8] = []
        datagramBytes.reserveCapacity(8 + payload.count)
        datagramBytes.appendBE16(sourcePort)
        datagramBytes.appendBE16(destinationPort)
        datagramBytes.appendBE16(UInt16(truncatingIfNeeded: 8 + payload.count))
        datagramBytes.appendBE16(0)
        datagramBytes += payload
        var sum = checksumOverride ?? transportChecksum(datagramBytes, protocol: IPProtocolNumber.udp)
        // RFC 768: a computed zero is sent as all ones, zero meaning "no checksum".
        if checksumOverride == nil && sum == 0 { sum = 0xffff }
        datagramBytes.setBE16(sum, at: 6)
        return datagram(protocol: IPProtocolNumber.udp, payload: datagramBytes)
    }

    public func icmp(type: UInt8, code: UInt8 = 0, identifier: UInt16 = 0, sequence: UInt16 = 0, payload: [UInt8] = []) -> Frame {
        var message: [UInt8] = [type, code, 0, 0]
        message.appendBE16(identifier)
        message.appendBE16(sequence)
        message += payload
        message.setBE16(InternetChecksum.checksum(message), at: 2)
        return datagram(protocol: IPProtocolNumber.icmp, payload: message)
    }

    /// An IPv4 datagram carrying `payload` as protocol `proto`, header checksum filled in.
    public func datagram(protocol proto: UInt8, payload: [UInt8], headerChecksumOverride: UInt16? = nil) -> Frame {
        var options = ipOptions
        while options.count % 4 != 0 { options.append(0) }
        let headerLength = 20 + options.count
        var header: [UInt8] = []
        header.reserveCapacity(headerLength)
        header.append(0x40 | UInt8(headerLength / 4))
        header.append(tos)
        header.appendBE16(UInt16(truncatingIfNeeded: headerLength + payload.count))
        header.appendBE16(identification)
        var flagsAndOffset = fragmentOffset & 0x1fff
        if dontFragment { flagsAndOffset |= 0x4000 }
        if moreFragments { flagsAndOffset |= 0x2000 }
        header.appendBE16(flagsAndOffset)
        header.append(ttl)
        header.append(proto)
        header.appendBE16(0)
        header.appendBE32(source.value)
        header.appendBE32(destination.value)
        header += options
        header.setBE16(headerChecksumOverride ?? InternetChecksum.checksum(header), at: 10)
        return ethernet(etherType: EtherType.ipv4, payload: header + payload + trailer)
    }

    /// An Ethernet frame with this builder's addresses, tags and vnet header.
    public func ethernet(etherType: UInt16, payload: [UInt8]) -> Frame {
        var bytes = vnetHeader
        bytes.reserveCapacity(vnetHeader.count + 22 + payload.count)
        bytes += destinationMAC.octets
        bytes += sourceMAC.octets
        for tag in vlanTags {
            bytes.appendBE16(tag.tpid)
            bytes.appendBE16(tag.tci)
        }
        bytes.appendBE16(etherType)
        bytes += payload
        return Frame(bytes, vnetHeaderLength: UInt32(vnetHeader.count))
    }

    /// An ARP request or reply between this builder's addresses.
    public func arp(operation: UInt16) -> Frame {
        var body: [UInt8] = []
        body.appendBE16(1)
        body.appendBE16(EtherType.ipv4)
        body += [6, 4]
        body.appendBE16(operation)
        body += sourceMAC.octets
        body.appendBE32(source.value)
        body += operation == ARPPacket.request ? MACAddress.zero.octets : destinationMAC.octets
        body.appendBE32(destination.value)
        return ethernet(etherType: EtherType.arp, payload: body)
    }

    /// A minimal IPv6 packet (next header 59, "no next header") with `payload`.
    public func ipv6(payload: [UInt8] = []) -> Frame {
        var header: [UInt8] = [0x60, 0, 0, 0]
        header.appendBE16(UInt16(truncatingIfNeeded: payload.count))
        header += [59, 64]
        header += [0xfe, 0x80] + [UInt8](repeating: 0, count: 10) + source.octets
        header += [0xfe, 0x80] + [UInt8](repeating: 0, count: 10) + destination.octets
        return ethernet(etherType: EtherType.ipv6, payload: header + payload)
    }

    private func transportChecksum(_ segment: [UInt8], protocol proto: UInt8) -> UInt16 {
        let pseudo = InternetChecksum.pseudoHeader(
            source: source.value, destination: destination.value, protocol: proto, length: segment.count)
        return ~InternetChecksum.add(pseudo, InternetChecksum.sum(segment, from: 0, count: segment.count))
    }

    static func encode(_ options: [TCPOption]) -> [UInt8] {
        var bytes: [UInt8] = []
        for option in options {
            switch option {
            case .maximumSegmentSize(let mss): bytes += [2, 4]; bytes.appendBE16(mss)
            case .windowScale(let shift): bytes += [3, 3, shift]
            case .sackPermitted: bytes += [4, 2]
            case .sack(let blocks):
                bytes += [5, UInt8(2 + 8 * blocks.count)]
                for block in blocks { bytes.appendBE32(block.left); bytes.appendBE32(block.right) }
            case .timestamps(let value, let echo): bytes += [8, 10]; bytes.appendBE32(value); bytes.appendBE32(echo)
            case .noOperation: bytes.append(1)
            case .other(let kind, let data): bytes += [kind, UInt8(2 + data.count)] + data
            }
        }
        while bytes.count % 4 != 0 { bytes.append(1) }
        return bytes
    }
}
