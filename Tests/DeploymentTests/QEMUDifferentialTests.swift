import Foundation
import Testing
@testable import Deployment

/// The exported command lines, and the lint's claims about QEMU 7.2, checked against the real
/// binary (skipped when qemu-system-x86_64 is not installed). Tap becomes hubport, NICs are
/// dropped (-M none) and chardevs use unix sockets in a private directory.
@Suite("Real QEMU accepts the export", .enabled(if: QEMUProcessRun.available), .serialized)
struct QEMUDifferentialTests {
    private func qmpReady(_ run: QEMUProcessRun) -> Bool {
        run.execute("{\"execute\": \"qmp_capabilities\"}") != nil
    }

    @Test("Reference export: both QEMUs start, create every object and connect every pipe")
    func referenceStarts() throws {
        let directory = try SocketDirectory(label: "reference")
        let topology = Topology.reference.locallyRunnable(socketDirectory: directory.path)
        #expect(topology.links.count == Topology.reference.links.count)

        let primary = try QEMUProcessRun(arguments: QEMUArgsExporter.argv(for: topology.primary))
        defer { primary.stop() }
        #expect(qmpReady(primary), "primary did not start: \(primary.stderr)")
        let secondary = try QEMUProcessRun(arguments: QEMUArgsExporter.argv(for: topology.secondary))
        defer { secondary.stop() }
        #expect(qmpReady(secondary), "secondary did not start: \(secondary.stderr)")

        for (run, role) in [(primary, HostRole.primary), (secondary, .secondary)] {
            let objects = run.execute("{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/objects\"}}") ?? ""
            for object in topology[role].objects {
                #expect(objects.contains("\"name\": \"\(object.id)\""), "\(role) lacks \(object.id): \(objects)")
            }
        }
        // Every pipe is connected once the secondary runs: no chardev reports "disconnected".
        let connected = primary.wait { _ in
            let chardevs = primary.execute("{\"execute\": \"query-chardev\"}") ?? ""
            return !chardevs.contains("disconnected:")
        }
        #expect(connected, "primary pipes: \(primary.execute("{\"execute\": \"query-chardev\"}") ?? "")")
        primary.stop()
        secondary.stop()
        #expect(primary.terminatedBySignal == false && secondary.terminatedBySignal == false)
    }

    @Test("L019: QEMU 7.2 refuses the patch mail's colo-compare without iothread while parsing")
    func seedCompareWithoutIOThread() throws {
        let directory = try SocketDirectory(label: "seed")
        var topology = Topology.reference.locallyRunnable(socketDirectory: directory.path)
        topology.primary.objects = topology.primary.objects.compactMap { object in
            guard case .coloCompare(var compare) = object else { return object.iothread == nil ? object : nil }
            compare.iothread = nil
            return .coloCompare(compare)
        }
        var unlocalised = Topology.reference
        unlocalised.primary.objects = topology.primary.objects
        #expect(QEMUArgsLinter.lint(unlocalised).rules == [.compareWithoutIOThread])
        let run = try QEMUProcessRun(arguments: QEMUArgsExporter.argv(for: topology.primary))
        defer { run.stop() }
        #expect(run.waitForExit() == 1)
        #expect(run.stderr.contains("Parameter 'iothread' is missing"), "\(run.stderr)")
    }

    @Test("L020: compare_timeout=0 aborts QEMU 7.2 instead of printing the positive-value error")
    func zeroTimeoutAborts() throws {
        let directory = try SocketDirectory(label: "zero")
        var topology = Topology.reference.locallyRunnable(socketDirectory: directory.path)
        topology.primary.objects = topology.primary.objects.map { object in
            guard case .coloCompare(var compare) = object else { return object }
            compare.compareTimeout = 0
            return .coloCompare(compare)
        }
        let run = try QEMUProcessRun(arguments: QEMUArgsExporter.argv(for: topology.primary))
        defer { run.stop() }
        _ = run.waitForExit()
        #expect(run.terminatedBySignal, "exit \(String(describing: run.waitForExit(seconds: 0))) \(run.stderr)")
        #expect(!run.stderr.contains("requires a positive value"))
    }

    @Test("L002/L003: QEMU 7.2 fails on the patch mail's 'down script=' typo: first the stray word as a disk, then 'down'")
    func seedDownscriptTypo() throws {
        let split = try QEMUProcessRun(arguments: ["-netdev", "hubport,id=hn0,hubid=0,down", "script=/etc/qemu-ifdown"])
        defer { split.stop() }
        #expect(split.waitForExit() == 1)
        #expect(split.stderr.contains("Could not open 'script=/etc/qemu-ifdown'"), "\(split.stderr)")
        let joined = try QEMUProcessRun(arguments: ["-netdev", "hubport,id=hn0,hubid=0,down"])
        defer { joined.stop() }
        #expect(joined.waitForExit() == 1)
        #expect(joined.stderr.contains("Invalid parameter 'down'"), "\(joined.stderr)")
    }

    @Test("L042 fix from the hint: position=id=...,insert=before is accepted and lints clean")
    func filterOrderHint() throws {
        var lines = Fixtures.referencePrimary.split(separator: "\n").map(String.init)
        let first = try #require(lines.firstIndex { $0.contains("id=redire0") })
        let second = try #require(lines.firstIndex { $0.contains("id=redire1") })
        lines.swapAt(first, second)
        let broken = lines.joined(separator: "\n")
        let report = try QEMUArgsLinter.lint(primary: broken, secondary: Fixtures.referenceSecondary)
        let hint = try #require(report.findings.first { $0.rule == .filterOrder }?.hint)
        #expect(hint.hasPrefix("give 'redire0' position=id=redire1,insert=before"))
        let fixed = broken.replacing("queue=rx,indev=compare_out", with: "queue=rx,position=id=redire1,insert=before,indev=compare_out")
        let refixed = try QEMUArgsLinter.lint(primary: fixed, secondary: Fixtures.referenceSecondary)
        #expect(refixed.findings.isEmpty, "\(refixed.text())")
        let imported = try QEMUArgsImporter.importHost(fixed, role: .primary)
        #expect(imported.configuration.filterChains.order(on: "hn0") == ["m0", "redire0", "redire1"])

        let directory = try SocketDirectory(label: "order")
        let local = Topology(primary: imported.configuration, secondary: Topology.reference.secondary)
            .locallyRunnable(socketDirectory: directory.path)
        let run = try QEMUProcessRun(arguments: QEMUArgsExporter.argv(for: local.primary))
        defer { run.stop() }
        #expect(qmpReady(run), "\(run.stderr)")
    }
}
