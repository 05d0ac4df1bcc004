/// Text and JSON renderings of a direct run. JSON is written by hand so key order is fixed and
/// the output is byte-identical across runs and platforms.
extension DirectRunReport {
    public var text: String {
        var lines: [String] = []
        lines.append("topology direct, seed \(seed): \(completed ? "completed" : "NOT completed") at \(completionTime)")
        lines.append("connections \(connectionsCompleted)/\(connections) complete, \(requestsCompleted) requests")
        lines.append("bytes: client sent \(clientBytesSent), client received \(clientBytesReceived)"
            + (bodyMismatches > 0 ? ", \(bodyMismatches) connection(s) with body mismatches" : ""))
        lines.append("retransmissions: \(retransmissions) (client \(client.retransmissions), guest \(guest.retransmissions);"
            + " fast \(client.fastRetransmits + guest.fastRetransmits), timeouts \(client.timeouts + guest.timeouts))")
        lines.append("segments: client \(client.tcpSegmentsSent), guest \(guest.tcpSegmentsSent); drops: client \(client.drops), guest \(guest.drops)")
        lines.append("link client->guest: \(describe(linkTowardGuest)); guest->client: \(describe(linkTowardClient))")
        lines.append("events \(events), trace hash \(String(traceHash, radix: 16))")
        return lines.joined(separator: "\n")
    }

    private func describe(_ counters: LinkCounters) -> String {
        "\(counters.offered) offered, \(counters.lost) lost, \(counters.duplicated) duplicated, \(counters.reordered) reordered"
    }

    public var json: String {
        let object = DirectRunReport.object
        func host(_ figures: HostFigures) -> String {
            object([("framesSent", "\(figures.framesSent)"), ("framesReceived", "\(figures.framesReceived)"),
                    ("tcpSegmentsSent", "\(figures.tcpSegmentsSent)"), ("tcpPayloadBytesSent", "\(figures.tcpPayloadBytesSent)"),
                    ("tcpPayloadBytesReceived", "\(figures.tcpPayloadBytesReceived)"),
                    ("retransmissions", "\(figures.retransmissions)"), ("fastRetransmits", "\(figures.fastRetransmits)"),
                    ("timeouts", "\(figures.timeouts)"), ("drops", "\(figures.drops)")])
        }
        func link(_ counters: LinkCounters) -> String {
            object([("offered", "\(counters.offered)"), ("delivered", "\(counters.delivered)"), ("lost", "\(counters.lost)"),
                    ("duplicated", "\(counters.duplicated)"), ("reordered", "\(counters.reordered)")])
        }
        return object([
            ("topology", "\"direct\""), ("seed", "\(seed)"), ("completed", "\(completed)"),
            ("completionTimeNanoseconds", "\(completionTimeNanoseconds)"),
            ("connections", "\(connections)"), ("connectionsCompleted", "\(connectionsCompleted)"),
            ("requestsCompleted", "\(requestsCompleted)"),
            ("bytesTransferred", "\(clientBytesSent + clientBytesReceived)"),
            ("clientBytesSent", "\(clientBytesSent)"), ("clientBytesReceived", "\(clientBytesReceived)"),
            ("bodyMismatches", "\(bodyMismatches)"), ("retransmissions", "\(retransmissions)"),
            ("client", host(client)), ("guest", host(guest)),
            ("linkTowardGuest", link(linkTowardGuest)), ("linkTowardClient", link(linkTowardClient)),
            ("events", "\(events)"), ("traceHash", "\"\(String(traceHash, radix: 16))\""),
        ])
    }

    static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }
}
