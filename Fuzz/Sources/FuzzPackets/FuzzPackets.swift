import Fabric
import Primary
import Secondary
import FuzzSupport

/// The frame and packet parsers colo-compare and filter-rewriter use, over arbitrary frames, and
/// the two engines fed a stream of them. Byte 0 picks the vnet header length (0, 10, 12 or 20,
/// the longest the parser takes) and the profiles (QEMU's or fixed); then each frame is a
/// control byte, a big-endian 16-bit length and that many bytes. The control byte says where the frame goes:
/// bit 0 the compare's primary or secondary input, bit 1 the rewriter's netdev or NIC side,
/// bit 2 a checkpoint after it, bits 3–7 milliseconds to advance the clock first.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    FuzzProcess.initialize(argv)
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPackets(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = fuzzInputBytes(data, size)
    guard let control = input.first else { return 0 }
    let vnet: UInt32 = [0, 10, 12, COLOPacketParser.maximumVnetHeaderLength][Int(control & 3)]
    let fixed = control & 4 != 0
    var compare = COLOCompare(
        configuration: COLOCompare.Configuration(vnetHeaderSupport: vnet > 0, profile: fixed ? .fixed : .upstream), nowMs: 0)
    var rewriter = FilterRewriter(profile: fixed ? .fixed : .upstream, vnetHeaderLength: vnet)
    var actions: [CompareAction] = []
    var nowMs: Int64 = 0
    var position = 1
    while position + 3 <= input.count {
        let frameControl = input[position]
        let length = Int(input[position + 1]) << 8 | Int(input[position + 2])
        let end = min(input.count, position + 3 + length)
        let frame = Frame(Array(input[(position + 3)..<end]), vnetHeaderLength: vnet)
        position = end
        parseEveryWay(frame)
        nowMs += Int64(frameControl >> 3)
        compare.advanceTime(toMs: nowMs, into: &actions)
        if frameControl & 1 == 0 {
            compare.receivePrimary(frame, nowMs: nowMs, into: &actions)
        } else {
            compare.receiveSecondary(frame, nowMs: nowMs, into: &actions)
        }
        _ = rewriter.receive(frame, from: frameControl & 2 == 0 ? .netdev : .nic)
        if frameControl & 4 != 0 {
            compare.checkpoint(nowMs: nowMs, into: &actions)
            _ = rewriter.checkpoint()
        }
        actions.removeAll(keepingCapacity: true)
    }
    return 0
}

/// Every parser a frame meets on its way through compare and rewriter, at the offsets the
/// COLO parser finds.
func parseEveryWay(_ frame: Frame) {
    let bytes = frame.bytes
    _ = PacketSummary.describe(frame)
    _ = EthernetHeader(bytes, at: Int(frame.vnetHeaderLength))
    guard case .success(let layout) = COLOPacketParser.parse(frame) else { return }
    fuzzCheck(layout.transportOffset <= bytes.count, "transport offset \(layout.transportOffset) past a \(bytes.count)-byte frame")
    _ = IPv4Header(bytes, at: layout.networkOffset)
    _ = IPv4Header.checksumIsValid(bytes, at: layout.networkOffset)
    _ = TransportChecksum.isValid(bytes, ipOffset: layout.networkOffset)
    _ = ConnectionKey(bytes: bytes, layout: layout)
    _ = ConnectionKey(bytes: bytes, layout: layout, reversed: true)
    _ = TCPHeader(bytes, at: layout.transportOffset)
    _ = UDPHeader(bytes, at: layout.transportOffset)
}
