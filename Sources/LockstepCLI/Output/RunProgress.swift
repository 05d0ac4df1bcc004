import Glibc
import Fabric

/// A run's progress on a terminal: virtual time reached, events run, wall time, redrawn on one
/// stderr line at most five times a second once the run has taken a second. Wall time is read
/// for this line only; nothing the run decides depends on it.
final class RunProgress: TraceSink {
    private let duration: VirtualDuration
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastDraw: ContinuousClock.Instant
    private var drawn = false

    /// A progress line for a run of `duration`, or nil when stderr is not a terminal.
    static func onTerminal(duration: VirtualDuration) -> RunProgress? {
        isatty(STDERR_FILENO) == 1 ? RunProgress(duration: duration) : nil
    }

    private init(duration: VirtualDuration) {
        self.duration = duration
        start = clock.now
        lastDraw = start
    }

    func record(index: Int, time: VirtualTime, label: EventLabel) {
        guard index & 0x3FFF == 0 else { return }
        let now = clock.now
        guard now - start > .seconds(1), now - lastDraw > .milliseconds(200) else { return }
        lastDraw = now
        drawn = true
        let reached = Double(time.nanoseconds) / 1e9
        let total = Double(duration.nanoseconds) / 1e9
        let wall = Double((now - start).components.seconds)
        let percent = total > 0 ? Int(min(100, reached / total * 100)) : 0
        draw("\r  virtual \(Self.seconds(reached)) of \(Self.seconds(total)) s (\(percent)%), \(index) events, \(Int(wall)) s ")
    }

    /// Ends the line, so what follows starts on a fresh one.
    func finish() {
        if drawn { draw("\n") }
    }

    private func draw(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    private static func seconds(_ value: Double) -> String {
        String(Double(Int(value * 1000)) / 1000)
    }
}
