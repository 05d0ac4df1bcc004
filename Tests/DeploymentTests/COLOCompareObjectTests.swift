import Testing
import Primary
@testable import Deployment

@Suite("colo-compare as written and as QEMU's setters leave it")
struct COLOCompareObjectTests {
    @Test("properties(): the written tunables go through QEMU's setters; the first refusal throws the setter's error")
    func properties() throws {
        var compare = COLOCompareObject(
            id: "comp0", primaryIn: "p", secondaryIn: "s", outdev: "o", iothread: "t", notifyDev: "n",
            compareTimeout: 2000, maxQueueSize: 7, vnetHeaderSupport: true)
        let properties = try compare.properties()
        #expect(properties.compareTimeout == 2000)
        #expect(properties.expiredScanCycle == 0, "unset: completion applies the default")
        #expect(properties.maxQueueSize == 7)
        #expect(properties.unsetRequiredProperties.isEmpty)
        #expect(properties.notifyDev == "n" && properties.vnetHeaderSupport)

        compare.maxQueueSize = 0
        compare.expiredScanCycle = 0
        #expect(throws: COLOComparePropertyError.requiresPositiveValue(property: "expired_scan_cycle")) { try compare.properties() }
        #expect(compare.expiredScanCycle == 0, "the configuration keeps what was written, for the lint and the export")
    }

    @Test("links: the chardev and iothread properties without the tunables, for completion's own checks")
    func links() {
        let compare = COLOCompareObject(id: "comp0", primaryIn: "p", secondaryIn: nil, outdev: "p", iothread: nil, compareTimeout: 5)
        #expect(compare.links.unsetRequiredProperties == ["secondary_in", "iothread"])
        #expect(compare.links.primaryIn == "p" && compare.links.outdev == "p")
        #expect(compare.links.compareTimeout == 0, "no setter has run")
    }
}
