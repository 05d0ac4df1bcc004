/// A component that receives its events by code instead of by closure.
///
/// Scheduling a closure allocates its captured context on every event; scheduling a handler and
/// an integer code does not, which matters on hot paths (chardev pipes move every chunk through
/// an event). The queue keeps the handler alive until the event has run.
public protocol EventHandler: AnyObject {
    func handleEvent(_ code: Int)
}

/// What an event does when it runs.
enum EventAction {
    case closure(() -> Void)
    case handler(any EventHandler, Int)

    @inline(__always)
    func run() {
        switch self {
        case let .closure(action):
            action()
        case let .handler(handler, code):
            handler.handleEvent(code)
        }
    }
}
