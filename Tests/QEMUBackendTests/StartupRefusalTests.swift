import Testing
@testable import QEMUBackend

@Suite("Real backend: QEMU's refusals and versions read as one line")
struct StartupRefusalTests {
    @Test("The rejected option is named, with or without -msg timestamp=on")
    func rejectedOption() {
        let plain = StartupRefusal.parse("qemu-system-x86_64: -chardev socket,id=x,bogus=1: Invalid parameter 'bogus'\n")
        #expect(plain.argument == "-chardev socket,id=x,bogus=1")
        #expect(plain.message == "Invalid parameter 'bogus'")
        let stamped = StartupRefusal.parse(
            "2026-01-01T00:00:00.000001Z qemu-system-x86_64: -netdev dgramx,id=x: Parameter 'type' does not accept value 'dgramx'\n")
        #expect(stamped.argument == "-netdev dgramx,id=x")
    }

    @Test("A message that names no option is kept whole")
    func messageOnly() {
        let refusal = StartupRefusal.parse("qemu-system-x86_64: cannot set up guest memory 'pc.ram': Cannot allocate memory\n")
        #expect(refusal.argument == nil)
        #expect(refusal.message.hasPrefix("cannot set up guest memory"))
    }

    @Test("Version numbers compare as numbers; 7.2 is the minimum")
    func versions() {
        #expect(QEMUBinary.numbers("7.2.22") == [7, 2, 22])
        #expect(QEMUBinary.numbers("10.0") == [10, 0, 0])
        #expect(QEMUBinary.numbers("7.1.0")!.lexicographicallyPrecedes(QEMUBinary.minimumVersion))
        #expect(!QEMUBinary.numbers("10.0")!.lexicographicallyPrecedes(QEMUBinary.minimumVersion))
        #expect(QEMUBinary.numbers("abc") == nil)
    }
}
