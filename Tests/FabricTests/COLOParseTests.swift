import Testing
@testable import Fabric

@Suite("Shared COLO packet parsing (spec §6)")
struct COLOParseTests {
    private let builder = IPv4FrameBuilder(source: IPv4Address(192, 168, 1, 10), destination: IPv4Address(192, 168, 1, 20))

    private func layout(_ frame: Frame) -> COLOPacketLayout? { try? COLOPacketParser.parse(frame).get() }
    private func reason(_ frame: Frame) -> COLOUnparseableReason? {
        if case .failure(let why) = COLOPacketParser.parse(frame) { return why }
        return nil
    }

    @Test("P-1.1: V above 20 is unparseable; V of 20 is accepted")
    func vnetBound() {
        var b = builder
        b.vnetHeader = [UInt8](repeating: 0, count: 20)
        let ok = b.udp(sourcePort: 1, destinationPort: 2, payload: [1])
        #expect(layout(ok)?.networkOffset == 34)
        var bad = ok
        bad.vnetHeaderLength = 21
        #expect(reason(bad) == .vnetHeaderTooLong(vnet: 21))
    }

    @Test("P-1.1: a frame shorter than V + 18 bytes is unparseable, even an untagged 14-byte header")
    func minimumLength() {
        #expect(reason(Frame([UInt8](repeating: 0, count: 17))) == .tooShort(length: 17, minimum: 18))
        var frame = Frame([UInt8](repeating: 0, count: 19), vnetHeaderLength: 2)
        #expect(reason(frame) == .tooShort(length: 19, minimum: 20))
        frame.bytes.append(0)
        #expect(reason(frame) != .tooShort(length: 20, minimum: 20))
    }

    @Test("P-1.2: a single 802.1Q tag is unparseable")
    func vlan() {
        var b = builder
        b.vlanTags = [(EtherType.vlan, 5)]
        #expect(reason(b.udp(sourcePort: 1, destinationPort: 2, payload: [1])) == .vlanTagged)
    }

    @Test("P-1.3/P-1.4: 802.1ad frames are parsed (quirk), with L2 length 18 or 22")
    func qinq() {
        var b = builder
        b.vlanTags = [(EtherType.qinq, 1), (EtherType.vlan, 2)]
        #expect(layout(b.udp(sourcePort: 1, destinationPort: 2, payload: [1]))?.l2HeaderLength == 22)
        b.vlanTags = [(EtherType.qinq, 1)]
        #expect(layout(b.udp(sourcePort: 1, destinationPort: 2, payload: [1]))?.l2HeaderLength == 18)
    }

    @Test("P-1.4: ARP and IPv6 are unparseable")
    func notIPv4() {
        #expect(reason(builder.arp(operation: ARPPacket.request)) == .notIPv4(etherType: EtherType.arp))
        #expect(reason(builder.ipv6(payload: [1, 2])) == .notIPv4(etherType: EtherType.ipv6))
    }

    @Test("P-1.5: the IPv4 header must fit; IHL below 5 and bad versions are not checked")
    func ipHeaderFits() {
        var frame = builder.udp(sourcePort: 1, destinationPort: 2, payload: [])
        frame.bytes[14] = 0x4f  // IHL 15 → 60 bytes, the frame has 28 after Ethernet
        #expect(reason(frame) == .ipHeaderTruncated(length: 42, needed: 74))
        frame.bytes[14] = 0x41  // IHL 1: accepted, transport header 4 bytes after IP start
        #expect(layout(frame)?.transportOffset == 18)
        frame.bytes[14] = 0x95  // version 9: not checked
        #expect(layout(frame)?.ihl == 5)
        frame.bytes[14] = 0x40  // IHL 0: the transport header is the IP header
        #expect(layout(frame)?.transportOffset == 14)
    }

    @Test("P-1.6 and P-2: transport header unchecked, fragments parsed as if they began with it")
    func fragments() {
        var b = builder
        b.moreFragments = true
        b.dontFragment = false
        b.fragmentOffset = 10
        let fragment = b.datagram(protocol: IPProtocolNumber.udp, payload: [0xAB, 0xCD, 0x12, 0x34])
        let parsed = layout(fragment)
        #expect(parsed?.ipProtocol == IPProtocolNumber.udp)
        let key = ConnectionKey(bytes: fragment.bytes, layout: parsed!)
        #expect(key.portWord == 0xABCD_1234)
        // A UDP header cut short: out-of-range bytes read as zero rather than crashing.
        let cut = b.datagram(protocol: IPProtocolNumber.udp, payload: [0xAB])
        #expect(ConnectionKey(bytes: cut.bytes, layout: layout(cut)!).portWord == 0xAB00_0000)
    }

    @Test("P-3: key fields, reversed variant and port-word rules per protocol")
    func keys() {
        let tcp = builder.tcp(sourcePort: 1000, destinationPort: 80, seq: 1, flags: .syn)
        let key = ConnectionKey(bytes: tcp.bytes, layout: layout(tcp)!)
        #expect(key.addressA == builder.source && key.addressB == builder.destination)
        #expect(key.portA == 1000 && key.portB == 80 && key.ipProtocol == IPProtocolNumber.tcp)
        let reply = IPv4FrameBuilder(source: builder.destination, destination: builder.source)
            .tcp(sourcePort: 80, destinationPort: 1000, seq: 9, flags: [.syn, .ack])
        #expect(ConnectionKey(bytes: reply.bytes, layout: layout(reply)!, reversed: true) == key)
        #expect(key.reversedKey.reversedKey == key)

        let ah = builder.datagram(protocol: IPProtocolNumber.ah, payload: [1, 2, 3, 4, 0xAA, 0xBB, 0xCC, 0xDD])
        #expect(ConnectionKey(bytes: ah.bytes, layout: layout(ah)!).portWord == 0xAABB_CCDD)
        for proto in [IPProtocolNumber.dccp, IPProtocolNumber.esp, IPProtocolNumber.sctp, IPProtocolNumber.udpLite] {
            let frame = builder.datagram(protocol: proto, payload: [1, 2, 3, 4, 5])
            #expect(ConnectionKey(bytes: frame.bytes, layout: layout(frame)!).portWord == 0x0102_0304)
        }
        let gre = builder.datagram(protocol: IPProtocolNumber.gre, payload: [1, 2, 3, 4])
        #expect(ConnectionKey(bytes: gre.bytes, layout: layout(gre)!).portWord == 0)
    }

    @Test("P-4: all ICMP shares one key; QEMU fills no addresses for protocols without a port word")
    func icmpKey() {
        let a = builder.icmp(type: ICMPHeader.echoRequest, identifier: 1, sequence: 1)
        let other = IPv4FrameBuilder(source: IPv4Address(1, 2, 3, 4), destination: IPv4Address(5, 6, 7, 8))
            .icmp(type: ICMPHeader.echoReply, identifier: 9, sequence: 2)
        let keyA = ConnectionKey(bytes: a.bytes, layout: layout(a)!)
        #expect(keyA == ConnectionKey(bytes: other.bytes, layout: layout(other)!))
        #expect(keyA.addressA.value == 0 && keyA.portWord == 0)
    }

    @Test("P-5: a new key with more than 16 384 entries clears the table first")
    func tableReset() {
        var table = ConnectionTable<Int>()
        func key(_ n: Int) -> ConnectionKey {
            ConnectionKey(addressA: IPv4Address(UInt32(n)), addressB: IPv4Address(1), portWord: 0, ipProtocol: 6)
        }
        for n in 0...16_384 { #expect(!table.lookupOrCreate(key(n)) { n }.didReset) }
        #expect(table.count == 16_385)
        #expect(!table.lookupOrCreate(key(5)) { -1 }.didReset, "an existing key never resets")
        let (value, didReset) = table.lookupOrCreate(key(99_999)) { 7 }
        #expect(didReset && value == 7 && table.count == 1 && table.resetCount == 1)
    }

    @Test("P-6: a new entry starts from the caller's initial state")
    func newEntry() {
        var table = ConnectionTable<[Int]>()
        let key = ConnectionKey(addressA: IPv4Address(1), addressB: IPv4Address(2), portWord: 3, ipProtocol: 17)
        #expect(table.lookupOrCreate(key) { [] }.value.isEmpty)
        table[key] = [1]
        #expect(table.lookupOrCreate(key) { [] }.value == [1])
    }
}
