import Testing
@testable import Fabric
@testable import COLORuntime

/// The controller's state on its own: the checkpoint event's coalescing and the secondary's
/// steps, within a checkpoint and after the primary's COLO thread has exited.
@Suite("COLO controller state")
struct COLOControllerStateTests {
    typealias State = COLOController.State

    @Test("K-3: the first request sets the event; later ones coalesce into it and keep its trigger and time")
    func eventCoalesces() {
        let first = COLOController.CheckpointEvent.taking(.periodic, at: .milliseconds(5), into: nil)
        let third = COLOController.CheckpointEvent.taking(
            .delayChanged, at: .milliseconds(9), into: .taking(.periodic, at: .milliseconds(7), into: first))
        #expect(first.requests == 1)
        #expect(third.trigger == .periodic && third.requestedAt == .milliseconds(5) && third.requests == 3)
    }

    @Test("K-7: the secondary moves only from the step it is at, in a checkpoint and after the primary exits")
    func secondaryAdvancesFromItsStep() {
        var state = State.checkpointing(.init(number: 1, record: 0, primary: .awaitingReply, secondary: .running))
        let refused = state.advanceSecondary(from: .awaitingState, to: .loading)
        let moved = state.advanceSecondary(from: .running, to: .awaitingState)
        #expect(!refused && moved)
        #expect(state == .checkpointing(.init(number: 1, record: 0, primary: .awaitingReply, secondary: .awaitingState)))

        var exited = State.exited(secondary: .replicating(.loading))
        let resumed = exited.advanceSecondary(from: .loading, to: .running)
        #expect(resumed)
        #expect(exited == .exited(secondary: .replicating(.running)))

        var idle = State.idle(event: nil)
        var failedOver = State.exited(secondary: .failedOver)
        let movedWhenIdle = idle.advanceSecondary(from: .running, to: .awaitingState)
        let movedAfterFailover = failedOver.advanceSecondary(from: .running, to: .awaitingState)
        #expect(!movedWhenIdle && !movedAfterFailover)
        #expect(idle == .idle(event: nil) && failedOver == .exited(secondary: .failedOver))
    }
}
