import Fabric

/// Which colo-compare to be: QEMU as it is (with its quirks), an older QEMU, or a corrected one.
///
/// Every behavioural difference is a named switch in `CompareQuirks`, so a test, a report or the
/// docs can name the exact quirk responsible for a decision. `docs/compare.md` tabulates them.
public struct CompareProfile: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var quirks: CompareQuirks

    public init(name: String, quirks: CompareQuirks) {
        self.name = name
        self.quirks = quirks
    }

    /// The newest QEMU (identical to 7.2 for the compare, spec §12).
    public static let upstream = CompareProfile(name: "upstream", quirks: .upstream)

    /// QEMU before the 7.0 queue-order change: FIFO non-TCP queues and FIFO output drain.
    public static let qemu62 = CompareProfile(name: "qemu-6.2", quirks: .qemu62)

    /// A correct compare: every quirk off.
    public static let fixed = CompareProfile(name: "fixed", quirks: .none)

    public static let all: [CompareProfile] = [.upstream, .qemu62, .fixed]

    /// The profile called `name` ("upstream", "qemu-6.2", "fixed"), or nil.
    public init?(named name: String) {
        guard let found = CompareProfile.all.first(where: { $0.name == name }) else { return nil }
        self = found
    }

    public var description: String { name }
}

/// The compare's quirk switches: which `CompareQuirk`s are reproduced, and what a read past a
/// frame sees.
public struct CompareQuirks: Sendable, Hashable {
    /// The quirks, with `pastFrameReads` as the set's multi-valued setting: one word.
    private var switches: QuirkSet<CompareQuirk>

    public init(reproducing quirks: some Sequence<CompareQuirk>, pastFrameReads: PastFrameReads) {
        switches = QuirkSet(reproducing: quirks)
        self.pastFrameReads = pastFrameReads
    }

    /// Whether `quirk` is reproduced (QEMU's behaviour) or corrected; a bit test on the
    /// per-packet path, so always inlined (see `QuirkSet`).
    public subscript(quirk: CompareQuirk) -> Bool {
        @inline(__always) get { switches[quirk] }
        set { switches[quirk] = newValue }
    }

    /// C-11: payload comparisons are not bounds-checked; what QEMU reads past a frame is heap
    /// memory. How the emulator models those bytes (three ways, so not a `CompareQuirk`).
    public var pastFrameReads: PastFrameReads {
        @inline(__always) get {
            switch switches.setting {
            case 0: .heapGarbage
            case 1: .freshHeap
            default: .boundsChecked
            }
        }
        set {
            switches.setting = switch newValue {
            case .heapGarbage: 0
            case .freshHeap: 1
            case .boundsChecked: 2
            }
        }
    }

    /// Every quirk but the TCP queue layout that 7.0 replaced.
    public static let upstream = CompareQuirks(
        reproducing: CompareQuirk.allCases.filter { $0 != .ascendingTCPQueueLayout }, pastFrameReads: .heapGarbage)

    /// 6.2 differs from upstream only by the 7.0 queue-order patch.
    public static let qemu62: CompareQuirks = {
        var quirks = CompareQuirks.upstream
        quirks[.nonTCPNewestFirst] = false
        quirks[.outputNewestFirst] = false
        quirks[.ascendingTCPQueueLayout] = true
        return quirks
    }()

    public static let none = CompareQuirks(reproducing: [], pastFrameReads: .boundsChecked)
}

/// What a comparison that runs past the end of a frame sees (C-11: QEMU never bounds-checks).
///
/// QEMU keeps each packet in its own `malloc`ed copy and `memcmp`s past its end into the heap.
/// Measured against QEMU 7.2: the bytes up to the end of the packet's malloc chunk (glibc's
/// usable size) are zero in a freshly started process and stale data once memory has been
/// recycled; bytes beyond the chunk belong to the allocator and differ. A long-running QEMU
/// has recycled its heap, so a comparison that leaves a frame practically always fails.
public enum PastFrameReads: String, Sendable, Hashable {
    /// QEMU in steady state (default): a byte past the frame never equals anything, so the
    /// comparison mismatches there, reported as a byte difference with the missing side nil.
    case heapGarbage = "heap_garbage"
    /// QEMU just after start: bytes inside the packet's malloc chunk read as zero, bytes past it
    /// differ. Reproduces a fresh QEMU process, e.g. the differential oracle's.
    case freshHeap = "fresh_heap"
    /// Corrected: the comparison is refused as out of range (a mismatch, detail out_of_range).
    case boundsChecked = "bounds_checked"
}
