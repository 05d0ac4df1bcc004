import ArgumentParser
import Fabric

/// A virtual duration on the command line, e.g. `30`, `1.5s`, `250ms` (seconds when no unit is
/// given). Signs are kept so that a negative value reaches validation and gets its own message.
struct DurationArgument: ExpressibleByArgument {
    let value: VirtualDuration

    init?(argument: String) {
        guard let value = VirtualDuration(parsing: argument, notation: .commandLine) else { return nil }
        self.value = value
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
