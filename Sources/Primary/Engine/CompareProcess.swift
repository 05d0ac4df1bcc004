/// What one QEMU process shares between all its colo-compare objects.
///
/// `max_queue_size` is a process-global in QEMU (§7.1): every compare reads the one value at
/// each insertion, and setting the property on any compare object changes it for all of them —
/// last setter wins, even when that object's completion later fails (C-2). Compares created with
/// the same `CompareProcess` share it; give each emulated host its own process.
///
/// A reference type on purpose (it *is* shared state); not `Sendable`: a process and its
/// compares live in one isolation domain, like the single QEMU iothread they model.
public final class CompareProcess {
    /// QEMU's default, applied by a compare's completion when the global is still 0 (C-1.3).
    public static let defaultMaxQueueSize: UInt32 = 1024

    /// The global as stored: 0 until set or defaulted. A queue accepts a packet while it holds
    /// at most this many (C-6).
    public private(set) var maxQueueSize: UInt32

    public init(maxQueueSize: UInt32 = 0) {
        self.maxQueueSize = maxQueueSize
    }

    /// The `max_queue_size` property setter: parsed as a 64-bit value, 0 rejected, then
    /// truncated to 32 bits (so 2^32 passes the check and stores 0, which the next completion
    /// turns into 1024).
    public func setMaxQueueSize(_ value: UInt64) throws(COLOComparePropertyError) {
        maxQueueSize = try CompareRuntimeProperty.maxQueueSize.validated(value)
    }

    /// An object's `max_queue_size`, if it has one, becomes the global. Its setter ran (and
    /// checked the value) when the object was given its properties, before completion — so this
    /// holds even if completion then fails (C-2).
    public func adoptMaxQueueSize(of properties: COLOCompareProperties) {
        if let size = properties.maxQueueSize {
            maxQueueSize = size
        }
    }

    /// C-1.3: a zero global becomes the default.
    func applyDefaultIfUnset() {
        if maxQueueSize == 0 { maxQueueSize = CompareProcess.defaultMaxQueueSize }
    }
}
