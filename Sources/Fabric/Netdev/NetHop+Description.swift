extension NetHop: CustomStringConvertible {
    /// One line per hop, written for someone new to QEMU's net core.
    public var description: String {
        switch self {
        case .sendStarted(let walk, let sender, let frame):
            "\(walk) \(sender) sends \(frame.count) bytes"
        case .injectionStarted(let walk, let filter, let sender, let direction, let frame):
            if let sender, let direction {
                "\(walk) \(filter) injects \(frame.count) bytes as if sent by \(sender) (\(direction) walk)"
            } else {
                "\(walk) \(filter) injects \(frame.count) bytes as if sent by \(sender ?? "nobody")"
            }
        case .filterSkipped(let walk, let filter, let direction, let reason):
            "\(walk)   \(filter) [\(direction)] skipped: \(reason)"
        case .filterPassed(let walk, let filter, let direction):
            "\(walk)   \(filter) [\(direction)] let the frame pass"
        case .filterCopied(let walk, let filter, let direction, let output):
            "\(walk)   \(filter) [\(direction)] copied the frame: \(output); the frame goes on"
        case .filterStole(let walk, let filter, let direction, let sendResult, let output):
            "\(walk)   \(filter) [\(direction)] took the frame: \(output); the sender is told \(sendResult)"
        case .writeBlocked(let walk, let filter, let direction, let destination):
            "\(walk)   \(filter) [\(direction)] waits to write to \(destination): the socket is full; the main loop waits with it"
        case .walkResumed(let walk, let filter):
            "\(walk)   \(filter)'s write ended; the walk goes on"
        case .queued(let walk, let client, let depth, let reason):
            "\(walk)   waits in \(client)'s incoming queue (\(reason)); \(depth) waiting"
        case .delivered(let walk, let client, let fromQueue):
            fromQueue ? "\(walk)   delivered to \(client) from its queue" : "\(walk)   delivered to \(client)"
        case .dropped(let walk, let reason, let client):
            if let client {
                "\(walk)   dropped at \(client): \(reason)"
            } else {
                "\(walk)   dropped: \(reason)"
            }
        case .sendCompleted(let walk, let sender):
            "\(walk)   \(sender) told its queued send completed"
        case .vmStateChanged(let running):
            running ? "VM started: queued frames are flushed (F-14)" : "VM stopped: senders now queue their frames (F-12)"
        case .filterStatusChanged(let filter, let status):
            "\(filter) status is now \(status)"
        case .indevReading(let filter, let attached, let cause):
            "\(filter) \(attached ? "reads" : "stops reading") its indev (\(cause))"
        case .indevFrameRefused(let filter, let bytes):
            "\(filter) discarded a \(bytes)-byte indev frame: it is not reading"
        }
    }
}
