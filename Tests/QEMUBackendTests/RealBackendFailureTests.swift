import Glibc
import Testing
import Fabric
import Deployment
import COLORuntime
import QEMUHarness
@testable import QEMUBackend

/// A QEMU that refuses its command line, crashes or hangs ends the run with that verdict and
/// its stderr, within seconds, and both QEMUs are reaped.
@Suite(
    "Real backend: refusals, crashes and hangs",
    .serialized,
    .enabled(if: QEMULocator.oracleTestsEnabled, Comment(rawValue: QEMULocator.skipMessage))
)
struct RealBackendFailureTests {
    static func configuration(seconds: Int64) -> COLORunConfiguration {
        var configuration = COLORunConfiguration()
        configuration.duration = .seconds(seconds)
        configuration.measuresBaseline = false
        configuration.workload.connections = 1
        configuration.workload.requestsPerConnection = 1_000
        configuration.workload.thinkTime = .milliseconds(20)
        return configuration
    }

    static func assertGone(_ pids: [Int32]) {
        #expect(pids.count == 2)
        for pid in pids { #expect(kill(pid, 0) != 0, "QEMU \(pid) is still there") }
    }

    @Test("A chardev option QEMU refuses: one line naming the rejected option")
    func rejectedOption() throws {
        var topology = Topology.reference
        guard case .socket(var socket) = topology.primary.chardevs[0].backend else { return }
        socket.options.append(QEMUKeyValue("bogus", "1"))
        topology.primary.chardevs[0].backend = .socket(socket)
        var configuration = Self.configuration(seconds: 5)
        configuration.topology = topology
        let run = QEMUBackendRun(configuration, binary: try QEMUBinary.resolve(nil))
        do {
            _ = try run.run()
            Issue.record("QEMU accepted bogus=1")
        } catch {
            guard case let .rejected(host, argument, message, _) = error else {
                Issue.record("expected a rejection, got \(error)")
                return
            }
            #expect(host == "primary")
            #expect(argument?.hasPrefix("-chardev socket,id=mirror0,") == true)
            #expect(argument?.hasSuffix("bogus=1") == true)
            #expect(message.contains("bogus"))
            #expect(error.headline.hasPrefix("the primary QEMU rejected '-chardev socket,id=mirror0,"))
        }
    }

    @Test("A primary that crashes mid-run ends the run with its exit status and stderr")
    func crash() throws {
        var run = QEMUBackendRun(Self.configuration(seconds: 30), binary: try QEMUBinary.resolve(nil))
        run.faults = [QEMUFault(.crash, host: .primary, at: .milliseconds(500))]
        var pids: [Int32] = []
        run.onStarted = { pids = $0 }
        let started = ContinuousClock.now
        let report = try run.run()
        #expect(ContinuousClock.now - started < .seconds(10))
        guard case .backendFailed(let detail) = report.stopReason else {
            Issue.record("stop reason \(report.stopReason)")
            return
        }
        #expect(detail.contains("the primary QEMU exited (signal 11)"))
        Self.assertGone(pids)
    }

    @Test("A secondary that stops answering is declared hung after the QMP limit, and killed")
    func hang() throws {
        var run = QEMUBackendRun(Self.configuration(seconds: 30), binary: try QEMUBinary.resolve(nil))
        run.faults = [QEMUFault(.hang, host: .secondary, at: .milliseconds(500))]
        run.limits.command = .seconds(2)
        run.limits.checkpoint = .seconds(2)
        var pids: [Int32] = []
        run.onStarted = { pids = $0 }
        let started = ContinuousClock.now
        let report = try run.run()
        #expect(ContinuousClock.now - started < .seconds(15))
        guard case .backendFailed(let detail) = report.stopReason else {
            Issue.record("stop reason \(report.stopReason)")
            return
        }
        #expect(detail.contains("QEMU hung"), "\(detail)")
        Self.assertGone(pids)
    }
}
