import Fabric
import Primary
import COLORuntime

/// `expect: releases:` — checked against the compares' decision events in the run's full log
/// (the runner keeps it when a scenario has such an expectation).
enum ReleaseExpectations {
    private static func decisions(_ report: RunReport) -> [CompareDecision]? {
        report.fullLog?.compactMap { entry in
            if case .compare(let event) = entry.event, entry.host == .primary { event } else { nil }
        }
    }

    static func releases(on text: String, _ range: CountRange, in report: RunReport) -> (Bool, String) {
        guard let events = decisions(report) else { return (false, "the run kept no decision log") }
        let count = events.reduce(0) { total, event in
            if case .release(let release) = event, let key = release.connection, key.description.contains(text) { total + 1 } else { total }
        }
        return (range.contains(count), "\(count) release(s)")
    }

    static func primaryRecord(_ index: Int, released: Bool, in report: RunReport) -> (Bool, String) {
        guard let events = decisions(report) else { return (false, "the run kept no decision log") }
        for event in events {
            switch event {
            case .release(let release) where release.primaryIndex == index:
                return (released, "released (\(release.reason))")
            case .drop(let drop) where drop.side == .primary && drop.index == index:
                return (!released, "dropped (\(drop.reason))")
            default:
                continue
            }
        }
        return (false, "neither released nor dropped (still queued, or never read)")
    }
}
