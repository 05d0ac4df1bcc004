import Testing
@testable import Fabric
@testable import Teaching

@Suite("lockstep demo")
struct TeachDemoTests {
    @Test("F-4/M-3: the demo's walk through the primary chain: the SYN mirrored, the SYN-ACK to colo-compare, the oversized frame dropped (golden)")
    func transcript() throws {
        let text = try PrimaryChainDemo.transcript()
        #expect(text.contains("  chardev mirror0 (to the secondary) holds 2 records: 54 B, 54 B"))
        #expect(text.contains("  chardev primary_in (to colo-compare) holds 1 record: 54 B"))
        #expect(text.contains("    dropped 1 × frame longer than 69632 bytes (F-4)"))
        let difference = try TeachFixtures.checkGolden(text, name: "demo.txt")
        #expect(difference == nil, "\(difference ?? "")")
    }

    @Test("the demo's frames carry correct IPv4 and TCP checksums, both ways")
    func framesAreWellFormed() {
        let toGuest = DemoFrames.tcp(toGuest: true, sequence: 1000, acknowledgement: 0, flags: .syn)
        let reply = DemoFrames.tcp(toGuest: false, sequence: 7001, acknowledgement: 1001, flags: [.psh, .ack], payload: Array("hello\n".utf8))
        for frame in [toGuest, reply] {
            #expect(TransportChecksum.isValid(frame.bytes, ipOffset: 14))
        }
        #expect(IPv4Header(toGuest.bytes, at: 14)?.source == IPv4Address(10, 0, 0, 1))
        #expect(IPv4Header(reply.bytes, at: 14)?.source == IPv4Address(10, 0, 0, 2))
        #expect(Array(reply.bytes[6..<12]) == [0x52, 0x54, 0, 0, 0, 2])
    }
}
