import Fabric

extension COLOController {
    /// Where the primary's COLO thread and the secondary's incoming thread are. What a phase
    /// needs travels in its case, so nothing that only means something in one phase can be set
    /// in another.
    ///
    ///     idle ──wake──▶ checkpointing ──primary restarts──▶ idle
    ///       └──────┬──────────┘
    ///         a host lost
    ///              ▼
    ///           exited (the secondary goes on from where it was, until it fails over)
    enum State: Equatable {
        /// Between checkpoints, both VMs running; `event` once a request has set it (K-2).
        case idle(event: CheckpointEvent?)
        /// A checkpoint's transaction (K-5, K-7).
        case checkpointing(Checkpoint)
        /// The primary's COLO thread has exited (K-9, K-11): requests are ignored.
        case exited(secondary: SecondaryAfterExit)
    }

    /// The checkpoint event while it is set (K-2): the request that set it, and how many
    /// requests it has taken, that one included (K-3).
    struct CheckpointEvent: Equatable {
        let trigger: CheckpointTrigger
        let requestedAt: VirtualTime
        private(set) var requests = 1

        /// `event` once it has taken one more request: set by this one if it was clear.
        static func taking(_ trigger: CheckpointTrigger, at time: VirtualTime, into event: CheckpointEvent?) -> CheckpointEvent {
            guard var event else { return CheckpointEvent(trigger: trigger, requestedAt: time) }
            event.requests += 1
            return event
        }
    }

    /// One checkpoint under way: its record, and where each host's thread is in it.
    struct Checkpoint: Equatable {
        let number: Int
        /// Its index in `records`.
        let record: Int
        var primary: PrimaryStep
        var secondary: SecondaryStep
    }

    /// The primary's COLO thread within a checkpoint (K-5). Until the flush, the event that
    /// started the checkpoint stays set and the checkpoint takes every request (K-3).
    enum PrimaryStep: Equatable {
        /// CHECKPOINT_REQUEST sent, waiting for the reply (K-5.1).
        case awaitingReply
        /// Stopped with its state sent, waiting for CHECKPOINT_RECEIVED (K-5.2–K-5.6).
        case awaitingReceived
        /// VMSTATE_LOADED, with what the secondary loaded, came first: messages due at the same
        /// instant may run in either order.
        case loadedBeforeReceived(GuestFingerprint)
        /// Event cleared and compares flushed (K-5.7–K-5.8), waiting for VMSTATE_LOADED;
        /// `next` is the event as requests since then have set it again.
        case flushed(next: CheckpointEvent?)
    }

    /// The secondary's incoming thread within a checkpoint (K-7).
    enum SecondaryStep: Equatable {
        /// Before CHECKPOINT_REQUEST arrives, and again once the state is loaded.
        case running
        /// Stopped after replying, waiting for the whole state (K-7.1–K-7.2).
        case awaitingState
        /// Loading the state (K-7.3).
        case loading
    }

    /// The secondary's incoming thread once the primary's COLO thread has exited.
    enum SecondaryAfterExit: Equatable {
        /// Where it was in the last checkpoint (running if none was under way).
        case replicating(SecondaryStep)
        /// The failover command came during a load: failover follows the load (K-10).
        case failoverAfterLoad
        case failedOver
    }
}

extension COLOController.State {
    /// Moves the secondary's incoming thread from `step` to `next`, within a checkpoint or after
    /// the primary's thread has exited; false when it is not at `step`.
    mutating func advanceSecondary(from step: COLOController.SecondaryStep, to next: COLOController.SecondaryStep) -> Bool {
        switch self {
        case .checkpointing(var checkpoint) where checkpoint.secondary == step:
            checkpoint.secondary = next
            self = .checkpointing(checkpoint)
            return true
        case .exited(.replicating(let current)) where current == step:
            self = .exited(secondary: .replicating(next))
            return true
        case .idle, .checkpointing, .exited:
            return false
        }
    }
}
