import Testing
@testable import Fabric
@testable import GuestStack

@Suite("Stack deep copy and determinism")
struct StackCopyTests {
    static let knobs = DivergenceKnobs(
        tokenRate: Rate(1, per: 3), processingDelay: .milliseconds(2), processingJitter: .milliseconds(5))

    private func lossyPair(seed: UInt64) -> HostPair {
        var workload = WorkloadConfiguration(server: HostNetwork.guestAddress)
        workload.connections = 3
        workload.requestsPerConnection = 4
        workload.requestSize = 20_000
        workload.responseSize = 60_000
        workload.thinkTime = .milliseconds(7)
        workload.recording = .bytes
        var pair = HostPair(
            a: Hosts.client([ConnectionWorkload(workload)]),
            b: Hosts.guest([RequestResponseServer(recording: .bytes), EchoServer()], knobs: StackCopyTests.knobs),
            chooser: SeededChooser(seed: seed))
        pair.dropEvery = 23
        pair.dropPhase = 4
        return pair
    }

    @Test("deep copy: run to T, copy the guest into another instance, run both to T+Δ with the same choices: identical frames",
          arguments: [UInt64(1), 2, 3, 4, 5])
    func copyBehavesLikeOriginal(seed: UInt64) throws {
        var original = lossyPair(seed: seed)
        original.start()
        let checkpoint = VirtualTime.milliseconds(150)
        original.run(until: checkpoint)
        // Mid-transfer: data queued, timers armed.
        let guestConnections = original.b.stack.tcp.connections
        #expect(!guestConnections.isEmpty)
        #expect(original.b.nextDeadline != nil)

        // The other guest instance has its own identity; loadCheckpoint copies all the state.
        var other = Hosts.guest([], knobs: StackCopyTests.knobs, name: "secondary")
        other.loadCheckpoint(from: original.b)
        #expect(other.name == "secondary")
        var copy = original
        copy.b = other

        original.chooser = SeededChooser(seed: 99)
        copy.chooser = SeededChooser(seed: 99)
        let logStart = original.log.count
        original.run(until: checkpoint + .seconds(120))
        copy.run(until: checkpoint + .seconds(120))
        let framesOriginal = original.log[logStart...].map { "\($0.at) \($0.towardB) \(PacketSummary.describe($0.frame)) \($0.frame.bytes.hashValue)" }
        let framesCopy = copy.log[logStart...].map { "\($0.at) \($0.towardB) \(PacketSummary.describe($0.frame)) \($0.frame.bytes.hashValue)" }
        #expect(framesOriginal.count > 100)
        for (index, pairOfFrames) in zip(framesOriginal, framesCopy).enumerated() where pairOfFrames.0 != pairOfFrames.1 {
            print("first difference at \(index):\n  \(pairOfFrames.0)\n  \(pairOfFrames.1)")
            break
        }
        let firstDifference = zip(framesOriginal, framesCopy).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(firstDifference == nil && framesOriginal.count == framesCopy.count,
                "first difference at \(String(describing: firstDifference)): \(firstDifference.map { framesOriginal[$0] } ?? "") vs \(firstDifference.map { framesCopy[$0] } ?? "")")
        #expect(original.a.isFinished && copy.a.isFinished)
        let originalReports = try #require(original.a.application(0, as: ConnectionWorkload.self)).reports
        let copyReports = try #require(copy.a.application(0, as: ConnectionWorkload.self)).reports
        #expect(originalReports.map(\.received.hash) == copyReports.map(\.received.hash))
        #expect(originalReports.map(\.finishedAt) == copyReports.map(\.finishedAt))
    }

    @Test("a copy is independent: driving the copy leaves the original untouched")
    func copyIsIndependent() throws {
        var original = lossyPair(seed: 8)
        original.start()
        original.run(until: .milliseconds(120))
        let snapshot = original.b.stack.tcp.connections
        var copy = original.b
        copy.advance(to: .seconds(10), choices: SeededChooser(seed: 1))
        _ = copy.takeOutput()
        #expect(original.b.stack.tcp.connections == snapshot)
        #expect(copy.stack.tcp.connections != snapshot)
    }

    @Test("determinism: two direct runs with one seed put byte-identical frames on the link")
    func sameSeedSameFrames() throws {
        var options = DirectRunOptions.impaired(seed: 21, loss: 40_000, duplication: 20_000, reordering: 40_000)
        options.guestKnobs = DivergenceKnobs(tokenRate: Rate(1, per: 2), processingJitter: .milliseconds(3))
        options.guestStack.ipIdentification = .random
        options.guestStack.tcp.timestampOffset = .chosen
        func run() throws -> (captures: [LinkCapture], hash: UInt64) {
            let topology = DirectRun.makeTopology(options)
            topology.capturesFrames = true
            #expect(try topology.run(until: .seconds(600)))
            return (topology.captures, topology.scheduler.traceHash)
        }
        let first = try run()
        let second = try run()
        #expect(first.captures.count > 200)
        #expect(first.captures == second.captures)
        #expect(first.hash == second.hash)
        options.seed = 22
        let other = try run()
        #expect(other.captures != first.captures)
    }
}
