import Fabric
import Primary

/// The reader of a compare that a chunk of bytes came to.
enum CompareInput {
    case primary, secondary, notify

    /// The input's name in messages.
    var role: String {
        switch self {
        case .primary: "primary_in"
        case .secondary: "secondary_in"
        case .notify: "notify_dev"
        }
    }
}

extension CompareHost {
    /// Decodes one chunk read from `input` and hands each record to the engine, routing that
    /// record's actions before the next record is decoded: the engine then always hands its
    /// actions over into an empty buffer (a swap, not a copy), and the records to write reach
    /// the output buffer in the same order as routing the whole chunk at once. Returns the
    /// framing error that ended the chunk, if any (W-10).
    func receive(_ chunk: UnsafeRawBufferPointer, on input: CompareInput, nowMs: Int64, router: ActionRouter) -> FramingError? {
        switch input {
        case .primary:
            let error = Self.decode(chunk, &primary.decoder, &engine, &actions, &counters, &outdev, &notify, router) {
                $0.receivePrimary($1, nowMs: nowMs, into: &$2)
            }
            counters.primaryRecords = UInt64(engine.primaryRecordCount)
            return error
        case .secondary:
            let error = Self.decode(chunk, &secondary.decoder, &engine, &actions, &counters, &outdev, &notify, router) {
                $0.receiveSecondary($1, nowMs: nowMs, into: &$2)
            }
            counters.secondaryRecords = UInt64(engine.secondaryRecordCount)
            return error
        case .notify:
            guard notifyReader != nil else { return nil }
            var records: UInt64 = 0
            let error = Self.decode(chunk, &notifyReader!.decoder, &engine, &actions, &counters, &outdev, &notify, router) {
                records += 1
                $0.receiveNotify($1, nowMs: nowMs, into: &$2)
            }
            counters.notifyRecords &+= records
            return error
        }
    }

    /// Routes what the engine asked for outside the input path (timers, peer changes, stalls).
    func route(_ router: ActionRouter) {
        guard !actions.isEmpty else { return }
        router.route(&actions, counters: &counters, outdev: &outdev, notify: &notify)
    }

    /// The per-record loop, on the host's state passed `inout`: one run-time exclusivity check
    /// per property and chunk instead of several per record (see `ActionRouter`).
    private static func decode(
        _ chunk: UnsafeRawBufferPointer, _ decoder: inout RecordDecoder, _ engine: inout COLOCompare,
        _ actions: inout [CompareAction], _ counters: inout ServeCounters, _ outdev: inout OutputChannel,
        _ notify: inout OutputChannel?, _ router: ActionRouter,
        deliver: (inout COLOCompare, Frame, inout [CompareAction]) -> Void
    ) -> FramingError? {
        decoder.feed(chunk) { frame in
            deliver(&engine, frame, &actions)
            router.route(&actions, counters: &counters, outdev: &outdev, notify: &notify)
        }
    }
}
