import Foundation
import Fabric
import Deployment

/// One QMP connection, driven by the run loop: commands go out at once with a completion that
/// runs when their reply arrives; events are kept with the run time they were read at.
final class QMPChannel {
    struct Event {
        let name: String
        let data: [String: Any]
        let receivedAt: VirtualTime
    }

    enum Reply {
        case success([String: Any])
        case failure(String)
    }

    let role: HostRole
    let connection: StreamConnection
    private var buffer: [UInt8] = []
    private var waiting: [(command: String, sentAt: VirtualTime, completion: (Reply) -> Void)] = []
    private(set) var greeted = false
    private(set) var closed = false
    private(set) var events: [Event] = []
    var onEvent: ((Event) -> Void)?

    init(role: HostRole, connection: StreamConnection) {
        self.role = role
        self.connection = connection
    }

    /// The command still waiting longest for its reply, and since when.
    var oldestWaiting: (command: String, since: VirtualTime)? {
        waiting.first.map { ($0.command, $0.sentAt) }
    }

    func execute(_ command: String, _ arguments: [String: Any]? = nil, at now: VirtualTime, completion: @escaping (Reply) -> Void = { _ in }) {
        var request: [String: Any] = ["execute": command]
        if let arguments { request["arguments"] = arguments }
        guard let data = try? JSONSerialization.data(withJSONObject: request, options: [.sortedKeys]) else { return }
        waiting.append((command, now, completion))
        connection.write(Array(data) + [UInt8(ascii: "\n")])
    }

    /// Reads whatever QEMU wrote; runs completions and records events.
    func service(at now: VirtualTime) {
        guard !closed else { return }
        connection.flush()
        while true {
            switch connection.read() {
            case .bytes(let bytes): buffer.append(contentsOf: bytes)
            case .nothing: return parseLines(at: now)
            case .closed:
                parseLines(at: now)
                closed = true
                return
            }
        }
    }

    private func parseLines(at now: VirtualTime) {
        while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            let line = Array(buffer[..<newline])
            buffer.removeFirst(newline + 1)
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else { continue }
            if object["QMP"] != nil {
                greeted = true
            } else if let name = object["event"] as? String {
                let event = Event(name: name, data: object["data"] as? [String: Any] ?? [:], receivedAt: now)
                events.append(event)
                onEvent?(event)
            } else if !waiting.isEmpty {
                let pending = waiting.removeFirst()
                if let result = object["return"] {
                    pending.completion(.success(result as? [String: Any] ?? [:]))
                } else {
                    let error = object["error"] as? [String: Any]
                    pending.completion(.failure((error?["desc"] as? String) ?? String(decoding: line, as: UTF8.self)))
                }
            }
        }
    }
}
