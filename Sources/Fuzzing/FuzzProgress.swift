import Foundation

/// A fuzz campaign's progress line for a terminal: runs, runs/s, failures, elapsed, ETA (the
/// time left under a time limit), each line starting with a carriage return so it overwrites
/// the last. Drawn at most five times a second; workers skip it without waiting when another
/// thread is drawing. Without `draw` nothing is drawn, but `elapsed` still counts.
public final class FuzzProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int?
    private let timeLimit: Double?
    private let draw: (@Sendable (String) -> Void)?
    private let start = Date()
    private var lastDraw = Date.distantPast

    /// `total`: the runs expected (nil under a time limit of `timeLimit` seconds).
    public init(total: Int?, timeLimit: Double?, draw: (@Sendable (String) -> Void)?) {
        self.total = total
        self.timeLimit = timeLimit
        self.draw = draw
    }

    /// Wall seconds since the campaign started.
    public var elapsed: Double { Date().timeIntervalSince(start) }

    /// The campaign's `progress(done, failures)` callback.
    public var update: @Sendable (Int, Int) -> Void {
        { [self] done, failures in redraw(done: done, failures: failures) }
    }

    private func redraw(done: Int, failures: Int) {
        guard let draw, lock.try() else { return }
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.2 || done == total else { return }
        lastDraw = now
        let seconds = now.timeIntervalSince(start)
        let rate = seconds > 0 ? Double(done) / seconds : 0
        if let total {
            let eta = rate > 0 ? Double(total - done) / rate : 0
            draw(String(format: "\r%d/%d runs, %.0f runs/s, %d failure(s), %.1fs elapsed, ETA %.1fs ", done, total, rate, failures, seconds, eta))
        } else {
            let left = max(0, (timeLimit ?? 0) - seconds)
            draw(String(format: "\r%d runs, %.0f runs/s, %d failure(s), %.1fs elapsed, ETA %.1fs ", done, rate, failures, seconds, left))
        }
    }

    /// Ends the line, so what follows starts on a fresh one.
    public func finish() {
        draw?("\n")
    }
}
