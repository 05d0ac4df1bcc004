/// A net filter, modelled on swift-nio's channel handlers: the chain owns a `FilterContext` per
/// filter (its common properties and its place in the list) and calls these hooks; a filter
/// injects frames back into the chain through its context.
public protocol NetFilter: AnyObject {
    /// QOM type name, e.g. "filter-mirror".
    var typeName: String { get }

    /// F-1 step 5: claim chardevs, open files. Throwing stops creation; `cleanup` then runs.
    func setup(context: FilterContext) throws(FilterSetupError)

    /// F-5/F-6: called only when the filter is on and its queue sees `direction`.
    func receive(_ frame: Frame, direction: NetDirection, sender: NetClient, context: FilterContext) -> FilterVerdict

    /// F-8: status flipped while attached.
    func statusChanged(context: FilterContext)

    /// F-9/F-10: COLO checkpoint or failover.
    func handleEvent(_ event: COLOFilterEvent, context: FilterContext) throws(FilterEventError)

    /// F-11, and after a failed setup: release chardevs and files.
    func cleanup(context: FilterContext)

    /// After `receive` answered `.blockedOnWrite`: `resume` gets, once, the verdict `receive`
    /// would have returned, when the blocked write ends.
    func resumeAfterBlockedWrite(_ frame: Frame, context: FilterContext, resume: @escaping (FilterVerdict) -> Void)
}

extension NetFilter {
    public func setup(context: FilterContext) throws(FilterSetupError) {}

    public func statusChanged(context: FilterContext) {}

    public func handleEvent(_ event: COLOFilterEvent, context: FilterContext) throws(FilterEventError) {
        NetFilterDefaults.handleEvent(event, context: context)
    }

    public func cleanup(context: FilterContext) {}

    /// For filters that never block.
    public func resumeAfterBlockedWrite(_ frame: Frame, context: FilterContext, resume: @escaping (FilterVerdict) -> Void) {
        resume(.pass)
    }
}

/// QEMU's shared hook implementations, callable by filters that override and extend them.
public enum NetFilterDefaults {
    /// F-10: a checkpoint does nothing; a failover turns the filter's status off.
    public static func handleEvent(_ event: COLOFilterEvent, context: FilterContext) {
        switch event {
        case .checkpoint: break
        case .failover: context.setStatus(.off)
        }
    }
}
