import Testing
@testable import Fabric
@testable import GuestStack

@Suite("Stack transfer under impairment")
struct StackTransferTests {
    @Test("default direct workload completes byte-exact with no retransmission on a clean link")
    func defaultWorkload() throws {
        let report = try DirectRun.execute(DirectRunOptions())
        #expect(report.completed)
        #expect(report.connectionsCompleted == 4)
        #expect(report.requestsCompleted == 32)
        #expect(report.bodyMismatches == 0)
        #expect(report.retransmissions == 0)
        #expect(report.client.drops == 0 && report.guest.drops == 0)
    }

    /// Runs a topology and checks every byte each side's application got, against what the
    /// other side's application sent.
    private func checkExactDelivery(_ options: DirectRunOptions) throws {
        let topology = DirectRun.makeTopology(options)
        let completed = try topology.run(until: .seconds(3_000))
        #expect(completed, "seed \(options.seed) did not finish")
        let workload = try #require(topology.client.application(0, as: ConnectionWorkload.self))
        let server = try #require(topology.guest.application(0, as: RequestResponseServer.self))
        let configuration = options.workload
        #expect(server.connections.count == configuration.connections, "seed \(options.seed)")
        for report in workload.reports {
            #expect(report.error == nil, "seed \(options.seed) connection \(report.index): \(String(describing: report.error))")
            #expect(report.requestsCompleted == configuration.requestsPerConnection, "seed \(options.seed)")
            #expect(report.bodyBytesReceived == configuration.responseSize * configuration.requestsPerConnection)
            #expect(report.firstBodyMismatch == nil, "seed \(options.seed) connection \(report.index)")
            // The client got exactly what the guest sent on that connection, and vice versa.
            let peer = server.connections.first { connection in
                topology.guest.stack.status(of: connection.handle)?.remotePort == report.localPort
            }
            if let peer {
                #expect(peer.sent.bytes == report.received.bytes, "seed \(options.seed): guest→client bytes differ")
                #expect(peer.received.bytes == report.sent.bytes, "seed \(options.seed): client→guest bytes differ")
            } else {
                let sentByServer = server.connections.map(\.sent).filter { $0.matches(report.received) }
                #expect(!sentByServer.isEmpty, "seed \(options.seed): no guest stream equals what the client received")
                let receivedByServer = server.connections.map(\.received).filter { $0.matches(report.sent) }
                #expect(!receivedByServer.isEmpty, "seed \(options.seed): no guest stream equals what the client sent")
            }
        }
    }

    @Test("handshake, transfer and close under loss, duplication and reordering: request/response, 40 seeds",
          arguments: 1...40)
    func requestResponseUnderImpairment(seed: UInt64) throws {
        var options = DirectRunOptions.impaired(seed: seed, loss: 50_000, duplication: 20_000, reordering: 50_000)
        options.workload.connections = 3
        options.workload.requestsPerConnection = 3
        options.workload.requestSize = 3_000
        options.workload.responseSize = 20_000
        try checkExactDelivery(options)
    }

    @Test("bulk upload and download under 3% loss, duplication and reordering: every byte once, in order",
          arguments: 1...12)
    func bulkUnderImpairment(seed: UInt64) throws {
        var upload = DirectRunOptions.impaired(seed: seed, loss: 30_000, duplication: 10_000, reordering: 30_000)
        upload.workload = .bulkUpload(bytes: 300_000, server: HostNetwork.guestAddress)
        upload.workload.recording = .bytes
        try checkExactDelivery(upload)
        var download = upload
        download.workload = .bulkDownload(bytes: 300_000, server: HostNetwork.guestAddress)
        download.workload.recording = .bytes
        try checkExactDelivery(download)
    }

    @Test("heavy impairment (15% loss, 10% duplication, 20% reordering) still delivers exactly", arguments: 1...8)
    func heavyImpairment(seed: UInt64) throws {
        var options = DirectRunOptions.impaired(seed: seed, loss: 150_000, duplication: 100_000, reordering: 200_000)
        options.workload.connections = 2
        options.workload.requestsPerConnection = 2
        options.workload.requestSize = 10_000
        options.workload.responseSize = 40_000
        try checkExactDelivery(options)
    }

    @Test("impairment really happens: frames are lost, duplicated and reordered, and TCP repairs it")
    func impairmentIsExercised() throws {
        var options = DirectRunOptions.impaired(seed: 3, loss: 50_000, duplication: 20_000, reordering: 50_000)
        options.workload = .bulkDownload(bytes: 500_000, server: HostNetwork.guestAddress)
        let report = try DirectRun.execute(options)
        #expect(report.completed)
        #expect(report.linkTowardClient.lost > 0 && report.linkTowardGuest.lost > 0)
        #expect(report.linkTowardClient.duplicated > 0 && report.linkTowardClient.reordered > 0)
        #expect(report.guest.retransmissions > 0)
        #expect(report.guest.fastRetransmits > 0)
        #expect(report.bodyMismatches == 0)
        #expect(report.clientBytesReceived >= 500_000)
    }
}

