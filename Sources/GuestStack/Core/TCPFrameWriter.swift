import Fabric

/// Options a stack puts on one outgoing segment, laid out as Linux lays them so captures look
/// familiar: SYN `MSS, SACK_PERM+TS` (or `NOP NOP TS`, or `NOP NOP SACK_PERM`); other segments
/// `NOP NOP TS` then `NOP NOP SACK(blocks)`.
struct TCPSegmentOptions: Sendable {
    var maximumSegmentSize: UInt16?
    var sackPermitted = false
    var hasTimestamp = false
    var timestampValue: UInt32 = 0
    var timestampEcho: UInt32 = 0
    var sackBlocks: [TCPOption.SACKBlock] = []

    var encodedLength: Int {
        var length = 0
        if maximumSegmentSize != nil {
            length += 4
            if hasTimestamp { length += 12 } else if sackPermitted { length += 4 }
        } else if hasTimestamp {
            length += 12
        }
        if !sackBlocks.isEmpty { length += 4 + 8 * sackBlocks.count }
        return length
    }

    @inline(__always)
    func write(to p: UnsafeMutableRawPointer) {
        var offset = 0
        func put8(_ value: UInt8) { p.storeBytes(of: value, toByteOffset: offset, as: UInt8.self); offset += 1 }
        func put32(_ value: UInt32) { p.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt32.self); offset += 4 }
        if let mss = maximumSegmentSize {
            put8(2); put8(4); put8(UInt8(mss >> 8)); put8(UInt8(truncatingIfNeeded: mss))
            if hasTimestamp {
                if sackPermitted { put8(4); put8(2) } else { put8(1); put8(1) }
            } else if sackPermitted {
                put8(1); put8(1); put8(4); put8(2)
            }
        } else if hasTimestamp {
            put8(1); put8(1)
        }
        if hasTimestamp {
            put8(8); put8(10); put32(timestampValue); put32(timestampEcho)
        }
        if !sackBlocks.isEmpty {
            put8(1); put8(1); put8(5); put8(UInt8(2 + 8 * sackBlocks.count))
            for block in sackBlocks { put32(block.left); put32(block.right) }
        }
    }
}

/// Addressing shared by every datagram a stack sends.
struct DatagramAddressing: Sendable {
    var vnetHeaderLength: Int
    var sourceMAC: MACAddress
    var destinationMAC: MACAddress
    var source: UInt32
    var destination: UInt32
    var identification: UInt16
    var dontFragment: Bool
    var ttl: UInt8
}

/// The fields of one outgoing TCP segment.
struct TCPSegmentFields: Sendable {
    var sourcePort: UInt16
    var destinationPort: UInt16
    var sequence: UInt32
    var acknowledgement: UInt32
    var flags: TCPFlags
    var window: UInt16
}

/// Builds a whole TCP frame in one allocation, checksums included: the stack's hot path.
enum TCPFrameWriter {
    static func frame(
        _ addressing: DatagramAddressing, _ fields: TCPSegmentFields, options: TCPSegmentOptions,
        payload: UnsafeRawBufferPointer?, payloadContinuation: UnsafeRawBufferPointer? = nil
    ) -> [UInt8] {
        let optionLength = options.encodedLength
        let firstLength = payload?.count ?? 0
        let secondLength = payloadContinuation?.count ?? 0
        let payloadLength = firstLength + secondLength
        let tcpLength = 20 + optionLength + payloadLength
        let l3 = addressing.vnetHeaderLength + 14
        let l4 = l3 + 20
        let total = l4 + tcpLength
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            let p = UnsafeMutableRawPointer(buffer.baseAddress!)
            if addressing.vnetHeaderLength > 0 {
                p.initializeMemory(as: UInt8.self, repeating: 0, count: addressing.vnetHeaderLength)
            }
            writeEthernet(p, addressing, etherType: EtherType.ipv4)
            writeIPv4Header(p + l3, addressing, protocol: IPProtocolNumber.tcp, totalLength: 20 + tcpLength)
            let t = p + l4
            t.storeBytes(of: fields.sourcePort.bigEndian, toByteOffset: 0, as: UInt16.self)
            t.storeBytes(of: fields.destinationPort.bigEndian, toByteOffset: 2, as: UInt16.self)
            t.storeBytes(of: fields.sequence.bigEndian, toByteOffset: 4, as: UInt32.self)
            t.storeBytes(of: fields.acknowledgement.bigEndian, toByteOffset: 8, as: UInt32.self)
            t.storeBytes(of: UInt8((20 + optionLength) / 4) << 4, toByteOffset: 12, as: UInt8.self)
            t.storeBytes(of: fields.flags.rawValue, toByteOffset: 13, as: UInt8.self)
            t.storeBytes(of: fields.window.bigEndian, toByteOffset: 14, as: UInt16.self)
            t.storeBytes(of: UInt32(0), toByteOffset: 16, as: UInt32.self)
            if optionLength > 0 { options.write(to: t + 20) }
            if let payload, firstLength > 0 {
                (t + 20 + optionLength).copyMemory(from: payload.baseAddress!, byteCount: firstLength)
            }
            if let payloadContinuation, secondLength > 0 {
                (t + 20 + optionLength + firstLength).copyMemory(from: payloadContinuation.baseAddress!, byteCount: secondLength)
            }
            let pseudo = InternetChecksum.pseudoHeader(
                source: addressing.source, destination: addressing.destination,
                protocol: IPProtocolNumber.tcp, length: tcpLength)
            let sum = ~InternetChecksum.add(pseudo, InternetChecksum.sum(UnsafeRawPointer(t), count: tcpLength))
            t.storeBytes(of: sum.bigEndian, toByteOffset: 16, as: UInt16.self)
            initialized = total
        }
    }

    @inline(__always)
    static func writeEthernet(_ p: UnsafeMutableRawPointer, _ addressing: DatagramAddressing, etherType: UInt16) {
        let e = p + addressing.vnetHeaderLength
        addressing.destinationMAC.octets.withUnsafeBytes { e.copyMemory(from: $0.baseAddress!, byteCount: 6) }
        addressing.sourceMAC.octets.withUnsafeBytes { (e + 6).copyMemory(from: $0.baseAddress!, byteCount: 6) }
        e.storeBytes(of: etherType.bigEndian, toByteOffset: 12, as: UInt16.self)
    }

    @inline(__always)
    static func writeIPv4Header(_ ip: UnsafeMutableRawPointer, _ addressing: DatagramAddressing, protocol proto: UInt8, totalLength: Int) {
        ip.storeBytes(of: UInt8(0x45), toByteOffset: 0, as: UInt8.self)
        ip.storeBytes(of: UInt8(0), toByteOffset: 1, as: UInt8.self)
        ip.storeBytes(of: UInt16(truncatingIfNeeded: totalLength).bigEndian, toByteOffset: 2, as: UInt16.self)
        ip.storeBytes(of: addressing.identification.bigEndian, toByteOffset: 4, as: UInt16.self)
        ip.storeBytes(of: (addressing.dontFragment ? UInt16(0x4000) : 0).bigEndian, toByteOffset: 6, as: UInt16.self)
        ip.storeBytes(of: addressing.ttl, toByteOffset: 8, as: UInt8.self)
        ip.storeBytes(of: proto, toByteOffset: 9, as: UInt8.self)
        ip.storeBytes(of: UInt16(0), toByteOffset: 10, as: UInt16.self)
        ip.storeBytes(of: addressing.source.bigEndian, toByteOffset: 12, as: UInt32.self)
        ip.storeBytes(of: addressing.destination.bigEndian, toByteOffset: 16, as: UInt32.self)
        let sum = ~InternetChecksum.sum(UnsafeRawPointer(ip), count: 20)
        ip.storeBytes(of: sum.bigEndian, toByteOffset: 10, as: UInt16.self)
    }
}
