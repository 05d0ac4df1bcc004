import Fabric
import Deployment

/// What a filter does to a frame on one walk of its netdev's list (F-5, F-6): the word the
/// figure prints under each lane.
enum WalkAction: String, Sendable, Hashable, CaseIterable {
    /// filter-mirror: a copy goes to the outdev, the frame goes on (M-1).
    case copy
    /// filter-redirector with an outdev: the frame leaves the walk into the chardev.
    case steal
    /// filter-redirector without an outdev: transparent.
    case pass
    /// The filter's queue does not include this direction (F-5).
    case skip
    /// status=off: the filter does nothing (F-5).
    case off
    /// filter-rewriter: sequence/ack translation, then re-injection after itself (RW).
    case rewrite
    /// filter-buffer: held until the next release (B-1).
    case hold
    /// filter-dump: a copy is written to the pcap file.
    case dump

    init(filter: FilterConfiguration, direction: FilterQueue) {
        if filter.status == .off {
            self = .off
            return
        }
        guard filter.queue == .all || filter.queue == direction else {
            self = .skip
            return
        }
        switch filter.kind {
        case .mirror: self = .copy
        case .redirector: self = filter.outdev == nil ? .pass : .steal
        case .rewriter: self = .rewrite
        case .buffer: self = .hold
        case .dump: self = .dump
        }
    }

    /// One line each, for the legend.
    var meaning: String {
        switch self {
        case .copy: "a copy goes out through outdev, the frame walks on (filter-mirror)"
        case .steal: "the frame leaves the walk into outdev (filter-redirector)"
        case .pass: "the frame walks on untouched (redirector without outdev)"
        case .skip: "the filter's queue= leaves this direction out (F-5)"
        case .off: "status=off: the filter does nothing"
        case .rewrite: "seq/ack rewritten, then re-injected after the filter (filter-rewriter)"
        case .hold: "held until the buffer's next release (filter-buffer)"
        case .dump: "a copy is written to the pcap file (filter-dump)"
        }
    }
}
