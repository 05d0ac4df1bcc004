@testable import Fabric
@testable import GuestStack
@testable import Deployment
@testable import COLORuntime

/// Small COLO runs for the topology tests: short, quick in a debug build, and ending when the
/// workload is done unless a test needs time to pass.
enum TopologyRuns {
    /// A few request/response exchanges, no divergence, no baseline.
    static func requests(connections: Int = 2, exchanges: Int = 5) -> COLORunConfiguration {
        var configuration = COLORunConfiguration()
        configuration.workload.connections = connections
        configuration.workload.requestsPerConnection = exchanges
        configuration.workload.thinkTime = .milliseconds(20)
        configuration.duration = .seconds(15)
        configuration.endsWhenWorkloadCompletes = true
        configuration.measuresBaseline = false
        return configuration
    }

    /// One connection downloading `bytes` over a 1 ms link (a transfer of a few hundred ms).
    static func download(_ bytes: Int) -> COLORunConfiguration {
        var configuration = COLORunConfiguration()
        configuration.workload = .bulkDownload(bytes: bytes, server: HostNetwork.guestAddress)
        configuration.clientLink = LinkConfiguration(latency: .milliseconds(1))
        configuration.duration = .seconds(60)
        configuration.endsWhenWorkloadCompletes = true
        configuration.measuresBaseline = false
        return configuration
    }

    static func run(_ configuration: COLORunConfiguration, keepingLog: Bool = false) throws -> RunReport {
        var run = COLORun(configuration)
        run.outputs.keepsFullLog = keepingLog
        return try run.run()
    }
}

extension RunReport {
    func status(_ name: String) -> InvariantVerdict.Status? {
        invariant(name)?.status
    }

    /// Times of the controller events for checkpoint `number`, by token.
    func checkpointSteps(_ number: Int) -> [(token: String, time: VirtualTime)] {
        controllerEvents.compactMap { item in
            switch item.event {
            case .checkpointStarted(let n, _) where n == number,
                 .secondaryStopped(let n) where n == number,
                 .primaryStopped(let n, _, _) where n == number,
                 .stateReceived(let n) where n == number,
                 .comparesFlushed(let n, _, _) where n == number,
                 .secondaryLoaded(let n, _) where n == number,
                 .secondaryStarted(let n) where n == number,
                 .primaryStarted(let n, _) where n == number:
                (item.event.token, item.time)
            default:
                nil
            }
        }
    }

    var log: [RunLogEntry] { fullLog ?? [] }
}
