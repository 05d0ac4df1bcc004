import Fabric
import Primary

/// One colo-compare object of the daemon: the engine, its three readers, its two outputs and
/// its counters. The chardev indices say where each role is attached.
final class CompareHost {
    let id: String
    let primaryChardev: Int
    let secondaryChardev: Int
    var engine: COLOCompare
    var primary: InputReader
    var secondary: InputReader
    var notifyReader: InputReader?
    var outdev: OutputChannel
    var notify: OutputChannel?
    var counters = ServeCounters()
    /// Scratch buffer the engine appends its actions to.
    var actions: [CompareAction] = []
    /// Deleted (QMP object-del, or shutdown): nothing is read any more; output still drains.
    var isDeleted = false
    /// primary_in and secondary_in are not read while too much output waits for a slow peer.
    var inputsPaused = false

    init(id: String, engine: COLOCompare, primaryChardev: Int, secondaryChardev: Int,
         outdevChardev: Int, notifyChardev: Int?, chardevIDs: (primary: String, secondary: String, notify: String?)) {
        self.id = id
        self.engine = engine
        self.primaryChardev = primaryChardev
        self.secondaryChardev = secondaryChardev
        let vnet = engine.configuration.vnetHeaderSupport
        primary = InputReader(input: "primary_in (chardev \(chardevIDs.primary))", vnetHeaderSupport: vnet)
        secondary = InputReader(input: "secondary_in (chardev \(chardevIDs.secondary))", vnetHeaderSupport: vnet)
        // C-1.6: the notify_dev reader follows vnet_hdr_support too, though replies never carry V.
        notifyReader = chardevIDs.notify.map { InputReader(input: "notify_dev (chardev \($0))", vnetHeaderSupport: vnet) }
        outdev = OutputChannel(channel: .outdev, chardev: outdevChardev)
        notify = notifyChardev.map { OutputChannel(channel: .notifyDev, chardev: $0) }
    }

    /// Records waiting in the engine's send queues for a peer that is not reading.
    var pendingOutput: Int {
        engine.pendingOutputCount(on: .outdev) + engine.pendingOutputCount(on: .notifyDev)
    }

    var isOutputDrained: Bool {
        !outdev.hasBytes && !(notify?.hasBytes ?? false) && pendingOutput == 0
    }

    func snapshot(timeUs: Int64) -> CompareSnapshot {
        CompareSnapshot(compare: id, timeUs: timeUs, queuedPrimary: engine.queuedPrimaryCount,
                        queuedSecondary: engine.queuedSecondaryCount,
                        pendingOutput: pendingOutput + Self.unflushed(outdev) + (notify.map(Self.unflushed) ?? 0))
    }

    /// Records encoded but not yet sent; a stalled record is already counted by the engine.
    private static func unflushed(_ output: OutputChannel) -> Int {
        output.isStalled ? 0 : output.heldRecords
    }
}
