import Testing
@testable import Fabric
@testable import Primary

@Suite("colo-compare properties and completion (C-1, C-2)")
struct CompareSetupTests {
    static func properties() -> COLOCompareProperties {
        COLOCompareProperties(primaryIn: "compare0", secondaryIn: "compare1", outdev: "compare_out", iothread: "iothread1")
    }

    static func inventory() -> CompareChardevInventory {
        CompareChardevInventory(["compare0": .socket, "compare1": .socket, "compare_out": .socket, "notify": .socket])
    }

    @Test("C-1.1: any missing required property gives one error naming all four")
    func missingRequired() {
        for drop in 0..<4 {
            var p = Self.properties()
            switch drop {
            case 0: p.primaryIn = nil
            case 1: p.secondaryIn = nil
            case 2: p.outdev = nil
            default: p.iothread = nil
            }
            var chardevs = Self.inventory()
            #expect(throws: COLOCompareSetupError.missingRequiredProperties) {
                _ = try COLOCompare.complete(p, process: CompareProcess(), chardevs: &chardevs, nowMs: 0)
            }
            #expect(COLOCompareSetupError.missingRequiredProperties.description.contains("iothread"))
        }
    }

    @Test("C-1.2: primary_in, secondary_in and outdev must be pairwise different")
    func inputsMustDiffer() {
        let pairs: [(String, String, String)] = [("a", "b", "a"), ("a", "b", "b"), ("a", "a", "c")]
        for (primary, secondary, out) in pairs {
            var p = Self.properties()
            p.primaryIn = primary
            p.secondaryIn = secondary
            p.outdev = out
            var chardevs = CompareChardevInventory(["a": .socket, "b": .socket, "c": .socket])
            #expect(throws: COLOCompareSetupError.inputsAndOutputMustDiffer) {
                _ = try COLOCompare.complete(p, process: CompareProcess(), chardevs: &chardevs, nowMs: 0)
            }
            // Rejected before any chardev was touched.
            #expect(chardevs.devices.values.allSatisfy { !$0.attached })
        }
    }

    @Test("C-1.1/C-1.2 as the lint and the runtime ask them: unset properties in QEMU's order, the first pair sharing a chardev")
    func propertyChecks() {
        var p = COLOCompareProperties(secondaryIn: "s")
        #expect(p.unsetRequiredProperties == ["primary_in", "outdev", "iothread"])
        #expect(p.propertiesSharingAChardev == nil)
        p = Self.properties()
        #expect(p.unsetRequiredProperties.isEmpty)
        #expect(p.propertiesSharingAChardev == nil)
        let cases: [(String, String, String, [String])] = [
            ("a", "a", "a", ["primary_in", "secondary_in"]),
            ("a", "b", "a", ["primary_in", "outdev"]),
            ("a", "b", "b", ["secondary_in", "outdev"]),
        ]
        for (primary, secondary, out, pair) in cases {
            p.primaryIn = primary
            p.secondaryIn = secondary
            p.outdev = out
            #expect(p.propertiesSharingAChardev.map { [$0.0, $0.1] } == pair)
            #expect(throws: COLOCompareSetupError.inputsAndOutputMustDiffer) { try p.channelChardevs() }
        }
    }

    @Test("C-1 (7.1 table): each tunable's setter, which the properties, qom-set and the lint share")
    func tunableSetters() throws {
        for property in CompareRuntimeProperty.allCases {
            #expect(throws: COLOComparePropertyError.requiresPositiveValue(property: property.rawValue)) { try property.validated(0) }
            #expect(try property.validated(UInt64(UInt32.max)) == UInt32.max)
        }
        #expect(throws: COLOComparePropertyError.outOfRange(property: "expired_scan_cycle", value: 1 << 32)) {
            try CompareRuntimeProperty.expiredScanCycle.validated(1 << 32)
        }
        #expect(try CompareRuntimeProperty.maxQueueSize.validated((1 << 32) + 5) == 5)
    }

    @Test("C-1.3: zero timeout, scan cycle and global queue size become 3000, 1000, 1024")
    func defaults() throws {
        var chardevs = Self.inventory()
        let process = CompareProcess()
        #expect(process.maxQueueSize == 0)
        let compare = try COLOCompare.complete(Self.properties(), process: process, chardevs: &chardevs, nowMs: 500)
        #expect(compare.configuration.compareTimeoutMs == 3000)
        #expect(compare.configuration.expiredScanCycleMs == 1000)
        #expect(process.maxQueueSize == 1024)
        #expect(compare.nextScanDeadlineMs == 1500)
    }

    @Test("C-1 (7.1 table): compare_timeout and expired_scan_cycle reject 0 and values above 32 bits")
    func setterValidation() throws {
        var p = Self.properties()
        #expect(throws: COLOComparePropertyError.requiresPositiveValue(property: "compare_timeout")) { try p.setCompareTimeout(0) }
        #expect(throws: COLOComparePropertyError.outOfRange(property: "compare_timeout", value: 1 << 32)) { try p.setCompareTimeout(1 << 32) }
        #expect(throws: COLOComparePropertyError.requiresPositiveValue(property: "expired_scan_cycle")) { try p.setExpiredScanCycle(0) }
        try p.setCompareTimeout(UInt64(UInt32.max))
        try p.setExpiredScanCycle(20)
        #expect(p.compareTimeout == UInt32.max)
        var chardevs = Self.inventory()
        let compare = try COLOCompare.complete(p, process: CompareProcess(), chardevs: &chardevs, nowMs: 0)
        #expect(compare.configuration.compareTimeoutMs == UInt32.max)
        #expect(compare.nextScanDeadlineMs == 20)
    }

    @Test("C-1 (7.1 table): max_queue_size is process-global, last setter wins, 2^32 truncates to 0 then defaults")
    func maxQueueSizeIsGlobal() throws {
        let process = CompareProcess()
        var chardevs = CompareChardevInventory(["p1": .socket, "s1": .socket, "o1": .socket, "p2": .socket, "s2": .socket, "o2": .socket])
        var first = COLOCompareProperties(primaryIn: "p1", secondaryIn: "s1", outdev: "o1", iothread: "t")
        try first.setMaxQueueSize(5)
        _ = try COLOCompare.complete(first, process: process, chardevs: &chardevs, nowMs: 0)
        #expect(process.maxQueueSize == 5)
        var second = COLOCompareProperties(primaryIn: "p2", secondaryIn: "s2", outdev: "o2", iothread: "t")
        try second.setMaxQueueSize(7)
        _ = try COLOCompare.complete(second, process: process, chardevs: &chardevs, nowMs: 0)
        #expect(process.maxQueueSize == 7)

        #expect(throws: COLOComparePropertyError.requiresPositiveValue(property: "max_queue_size")) { try process.setMaxQueueSize(0) }
        try process.setMaxQueueSize(1 << 32)
        #expect(process.maxQueueSize == 0)
        _ = COLOCompare(process: process, nowMs: 0)
        #expect(process.maxQueueSize == 1024)
    }

    @Test("C-1.4: chardevs are checked primary_in, secondary_in, outdev: exists, reconnectable, context, attachable")
    func chardevChecks() {
        let cases: [(CompareChardevInventory, COLOCompareSetupError)] = [
            (CompareChardevInventory(["compare1": .socket, "compare_out": .socket]), .chardevNotFound("compare0")),
            (CompareChardevInventory(["compare0": .socket, "compare1": .file, "compare_out": .socket]), .chardevNotReconnectable("compare1")),
            (CompareChardevInventory(["compare0": .socket, "compare1": .socket,
                                      "compare_out": CompareChardev(reconnectable: true, switchesContext: false)]),
             .chardevCannotSwitchContext("compare_out")),
            (CompareChardevInventory(["compare0": CompareChardev(attached: true), "compare1": .socket, "compare_out": .socket]),
             .chardevBusy("compare0")),
        ]
        for (inventory, expected) in cases {
            var chardevs = inventory
            #expect(throws: expected) {
                _ = try COLOCompare.complete(Self.properties(), process: CompareProcess(), chardevs: &chardevs, nowMs: 0)
            }
        }
    }

    @Test("C-1.6: notify_dev gets the same checks; its reader follows vnet_hdr_support, its writer never sends V")
    func notifyDevChecks() throws {
        var p = Self.properties()
        p.notifyDev = "missing"
        var chardevs = Self.inventory()
        #expect(throws: COLOCompareSetupError.chardevNotFound("missing")) {
            _ = try COLOCompare.complete(p, process: CompareProcess(), chardevs: &chardevs, nowMs: 0)
        }
        p.notifyDev = "compare0"   // already attached as primary_in by this very completion
        chardevs = Self.inventory()
        #expect(throws: COLOCompareSetupError.chardevBusy("compare0")) {
            _ = try COLOCompare.complete(p, process: CompareProcess(), chardevs: &chardevs, nowMs: 0)
        }
        p.notifyDev = "notify"
        p.vnetHeaderSupport = true
        chardevs = Self.inventory()
        let compare = try COLOCompare.complete(p, process: CompareProcess(), chardevs: &chardevs, nowMs: 0)
        #expect(compare.configuration.hasNotifyDev)
        #expect(compare.framing.notifyInboundCarriesVnetField)
        #expect(!compare.framing.notifyOutboundCarriesVnetField)
        #expect(compare.framing.outdevCarriesVnetField && compare.framing.primaryInCarriesVnetField)
    }

    @Test("C-2: no rollback — a failing completion leaves earlier chardevs attached and the global queue size set")
    func noRollback() {
        var chardevs = CompareChardevInventory(["compare0": .socket, "compare1": .socket, "compare_out": .file])
        let process = CompareProcess()
        var p = Self.properties()
        try? p.setMaxQueueSize(9)
        #expect(throws: COLOCompareSetupError.chardevNotReconnectable("compare_out")) {
            _ = try COLOCompare.complete(p, process: process, chardevs: &chardevs, nowMs: 0)
        }
        #expect(chardevs["compare0"]?.attached == true)
        #expect(chardevs["compare1"]?.attached == true)
        #expect(process.maxQueueSize == 9)
        // A retry on the same chardevs now fails as busy.
        chardevs["compare_out"] = .socket
        #expect(throws: COLOCompareSetupError.chardevBusy("compare0")) {
            _ = try COLOCompare.complete(p, process: process, chardevs: &chardevs, nowMs: 0)
        }
    }
}
