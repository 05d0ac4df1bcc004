import DequeModule
import Glibc
import Fabric

/// Output commit, checked as the run goes: while COLO protects the primary, every frame its tap
/// puts on the wire must be the next frame a colo-compare released, byte for byte and in
/// release order; and the secondary's tap must put nothing on the wire until it takes over.
///
/// Releases are kept only until the tap sends them, so memory stays bounded by what is in
/// flight between the compare and the wire.
final class OutputCommitMonitor {
    private var pending: [Deque<[UInt8]>] = []
    /// False once the primary's guest output no longer goes through a compare (teardown).
    private(set) var isChecking = true
    private(set) var released = 0
    private(set) var matched = 0
    private(set) var firstViolation: String?
    /// Log entries written when the first violation happened (`RunLog.entryCount`).
    private(set) var firstViolationLogPosition: Int?
    private(set) var violations = 0
    private(set) var secondaryFramesBeforeTakeover = 0
    private(set) var uncheckedAfterTeardown = 0

    /// A new compare's output queue; returns its index.
    func addCompare() -> Int {
        pending.append(Deque())
        return pending.count - 1
    }

    func released(_ frame: Frame, by compare: Int) {
        released += 1
        guard isChecking else { return }
        pending[compare].append(frame.bytes)
    }

    func primaryTapSent(_ frame: Frame, at time: VirtualTime, logPosition: Int) {
        guard isChecking else {
            uncheckedAfterTeardown += 1
            return
        }
        for index in pending.indices {
            guard let head = pending[index].first, Self.sameBytes(head, frame.bytes) else { continue }
            pending[index].removeFirst()
            matched += 1
            return
        }
        violations += 1
        if firstViolation == nil {
            firstViolationLogPosition = logPosition
            let queued = pending.contains { $0.contains(frame.bytes) }
            firstViolation = queued
                ? "at \(time) the primary tap sent a released frame out of release order: \(PacketSummary.describe(frame))"
                : "at \(time) the primary tap sent a frame no compare released: \(PacketSummary.describe(frame))"
        }
    }

    func secondaryTapSent(_ frame: Frame, at time: VirtualTime, secondaryHasTakenOver: Bool, logPosition: Int) {
        guard !secondaryHasTakenOver else { return }
        secondaryFramesBeforeTakeover += 1
        violations += 1
        if firstViolation == nil {
            firstViolationLogPosition = logPosition
            firstViolation = "at \(time) the secondary tap sent a frame before any failover: \(PacketSummary.describe(frame))"
        }
    }

    /// The primary's guest output bypasses the compare from now on (COLO has ended).
    func stopChecking() {
        isChecking = false
        for index in pending.indices { pending[index].removeAll() }
    }

    /// Byte equality with one memcmp (Array's `==` compares element by element).
    private static func sameBytes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { left in
            b.withUnsafeBytes { right in
                guard let l = left.baseAddress, let r = right.baseAddress else { return true }
                return memcmp(l, r, left.count) == 0
            }
        }
    }

    /// Releases not (yet) on the wire: in a pipe, in the tap's queue, or lost with the host.
    var releasedNotSent: Int { pending.reduce(0) { $0 + $1.count } }
}

extension OutputCommitMonitor {
    /// The `output_commit` invariant as the run ends.
    func verdict() -> InvariantVerdict {
        let name = "output_commit"
        if let violation = firstViolation {
            return InvariantVerdict(name: name, status: .violated, detail: "\(violations) violation(s); first: \(violation)",
                                    failedAfterEntries: firstViolationLogPosition)
        }
        var detail = "\(matched) frames left the primary tap, each the next one a compare released (\(released) released)"
        if releasedNotSent > 0 { detail += "; \(releasedNotSent) released but not on the wire at the end" }
        if uncheckedAfterTeardown > 0 { detail += "; \(uncheckedAfterTeardown) sent after COLO ended, unchecked" }
        return InvariantVerdict(name: name, status: .holds, detail: detail)
    }
}
