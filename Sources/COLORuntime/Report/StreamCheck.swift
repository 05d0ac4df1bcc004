import Fabric
import GuestStack

/// "Client byte streams intact across checkpoints and failover": every byte the client's
/// application read is exactly the byte the service sends at that stream offset (no gap, no
/// duplicate, no corruption), no connection was reset or timed out, and for each completed
/// connection the guest now serving it read exactly what the client wrote.
struct StreamCheck {
    let reports: [ClientConnectionReport]
    let workload: WorkloadConfiguration
    /// The serving guest's connections, when a guest still serves (nil after losing both).
    let serverConnections: [RequestResponseServer.Connection]?

    init(world: COLOWorld) {
        let serving: GuestMachine? =
            if world.secondaryHasTakenOver { world.secondary.guest }
            else if world.primary.isAlive { world.primary.guest }
            else { nil }
        self.init(client: world.client, servingGuest: serving, workload: world.configuration.workload)
    }

    /// `servingGuest` is the guest that serves the client at the end (nil when none is left).
    init(client: ClientMachine, servingGuest: GuestMachine?, workload: WorkloadConfiguration) {
        reports = client.reports
        self.workload = workload
        serverConnections = servingGuest.map { guest in
            guest.host.applications.indices.flatMap { guest.host.application($0, as: RequestResponseServer.self)?.connections ?? [] }
        }
    }

    func verdict() -> InvariantVerdict {
        let name = "streams_intact"
        var problems: [String] = []
        let expected = ExpectedResponseStream(responseSize: workload.responseSize)
        // Connections usually read the same number of bytes: hash each distinct prefix once
        // (keyed lookups only, so the dictionary's order never matters).
        var expectedByCount: [Int: StreamRecord] = [:]
        for report in reports {
            let label = "connection \(report.index)" + (report.localPort.map { " (port \($0))" } ?? "")
            if let error = report.error { problems.append("\(label) ended with \(error)") }
            if let offset = report.firstBodyMismatch { problems.append("\(label): response body differs at body byte \(offset)") }
            if report.received.mode != .count {
                let count = report.received.count
                let record = expectedByCount[count] ?? expected.record(prefix: count)
                expectedByCount[count] = record
                guard !report.received.matches(record) else { continue }
                problems.append("\(label): the \(report.received.count) bytes read are not the service's byte stream")
            }
        }
        var uploadsChecked = 0
        if let serverConnections, workload.recording != .count {
            var unmatched = serverConnections.map(\.received)
            for report in reports where report.requestsCompleted == workload.requestsPerConnection && report.sent.count > 0 {
                uploadsChecked += 1
                if let index = unmatched.firstIndex(where: { $0.matches(report.sent) }) {
                    unmatched.remove(at: index)
                } else {
                    problems.append("connection \(report.index): the serving guest did not read exactly the \(report.sent.count) bytes the client wrote")
                }
            }
        }
        guard problems.isEmpty else {
            return InvariantVerdict(name: name, status: .violated, detail: problems.prefix(3).joined(separator: "; ")
                                    + (problems.count > 3 ? "; \(problems.count - 3) more" : ""))
        }
        let bytes = reports.reduce(0) { $0 + $1.received.count }
        return InvariantVerdict(
            name: name, status: .holds,
            detail: "\(reports.count) connection(s), \(bytes) bytes read by the client exactly as served, no reset"
                + (uploadsChecked > 0 ? "; \(uploadsChecked) upload stream(s) read intact by the serving guest" : ""))
    }
}

/// The byte stream a request/response server sends on one connection: per response the
/// header, then the payload pattern from offset 0.
struct ExpectedResponseStream {
    let response: [UInt8]

    init(responseSize: Int) {
        response = HTTPLikeMessages.responseHeader(bodySize: responseSize) + PayloadPattern.bytes(at: 0, count: responseSize)
    }

    /// The record (count and hash) of the stream's first `count` bytes.
    func record(prefix count: Int) -> StreamRecord {
        var record = StreamRecord(mode: .hash)
        guard !response.isEmpty else { return record }
        var remaining = count
        response.withUnsafeBytes { raw in
            while remaining > 0 {
                let piece = min(remaining, raw.count)
                record.append(UnsafeRawBufferPointer(rebasing: raw[0..<piece]))
                remaining -= piece
            }
        }
        return record
    }
}
