/// The retransmission timeout of RFC 6298, in virtual nanoseconds.
///
/// `rto` is the timeout in force, backed off included; Karn's rule is the caller's: it feeds
/// samples only from segments that were never retransmitted, and the first such sample
/// replaces a backed-off value with a computed one.
struct RTOEstimator: Sendable, Hashable {
    var smoothed: Int64?
    var variation: Int64 = 0
    var rto: Int64
    let minimum: Int64
    let maximum: Int64
    let granularity: Int64

    init(configuration: TCPConfiguration) {
        minimum = configuration.minimumRTO.nanoseconds
        maximum = configuration.maximumRTO.nanoseconds
        granularity = configuration.clockGranularity.nanoseconds
        rto = configuration.initialRTO.nanoseconds
    }

    /// RFC 6298 §2.2 and §2.3 with α = 1/8, β = 1/4, K = 4.
    mutating func sample(_ measured: Int64) {
        let r = Swift.max(measured, 0)
        if let srtt = smoothed {
            variation = (3 * variation + abs(srtt - r)) / 4
            smoothed = (7 * srtt + r) / 8
        } else {
            smoothed = r
            variation = r / 2
        }
        rto = clamp((smoothed ?? r) + Swift.max(granularity, 4 * variation))
    }

    /// RFC 6298 §5.5.
    mutating func backOff() {
        rto = clamp(rto > maximum / 2 ? maximum : rto * 2)
    }

    /// RFC 6298 §5.7: after a retransmitted SYN, data starts with at least three seconds.
    mutating func applySynTimeoutFloor() {
        if smoothed == nil && rto < 3_000_000_000 { rto = clamp(3_000_000_000) }
    }

    private func clamp(_ value: Int64) -> Int64 {
        Swift.min(Swift.max(value, minimum), maximum)
    }
}
