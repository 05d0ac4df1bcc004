import Testing
@testable import Deployment

@Suite("Importing QEMU command lines")
struct QEMUArgsImportTests {
    @Test("Round trip: reference → args → topology → args → same topology and same text")
    func referenceRoundTrip() throws {
        let exported = QEMUArgsExporter.export(.reference)
        let primaryText = QEMUArgsExporter.commandLine(for: Topology.reference.primary)
        let secondaryText = QEMUArgsExporter.commandLine(for: Topology.reference.secondary)
        #expect(exported.contains(primaryText) && exported.contains(secondaryText))
        let imported = try QEMUArgsImporter.topology(primary: primaryText, secondary: secondaryText)
        #expect(imported == .reference)
        #expect(QEMUArgsExporter.export(imported) == exported)
    }

    @Test("The export states the start order and uses the forms QEMU 7.2 and upstream accept")
    func exportForm() {
        let exported = QEMUArgsExporter.export(.reference)
        #expect(exported.contains("Start order: the primary first"))
        #expect(exported.contains("server=on,wait=off"))
        #expect(exported.contains("-object iothread,id=iothread"))
        #expect(exported.contains("iothread=iothread"))
        #expect(!exported.contains(",nowait"))
        let primaryAt = exported.range(of: "# primary")?.lowerBound
        let secondaryAt = exported.range(of: "# secondary")?.lowerBound
        #expect(primaryAt != nil && secondaryAt != nil && primaryAt! < secondaryAt!)
    }

    @Test("The patch mail's lines import to the reference topology once their mistakes are fixed")
    func seedImportsToReference() throws {
        let primary = try QEMUArgsImporter.importHost(Fixtures.patchMailPrimary(), role: .primary)
        let secondary = try QEMUArgsImporter.importHost(Fixtures.patchMailSecondary(), role: .secondary)
        var topology = Topology(primary: primary.configuration, secondary: secondary.configuration)
        // The patch mail's mistakes, each named by the lint (see LintSeedTests):
        // 1. colo-compare without iothread (L019);
        topology.primary.objects.insert(.iothread(IOThreadConfiguration(id: "iothread")), at: 0)
        if case .coloCompare(var compare) = topology.primary.objects.last {
            #expect(compare.iothread == nil)
            compare.iothread = "iothread"
            topology.primary.objects[topology.primary.objects.count - 1] = .coloCompare(compare)
        }
        // 2. "down script=" (L002/L003): the importer drops the refused key, so downscript is absent;
        #expect(topology.secondary.netdevs[0].options.value(for: "downscript") == nil)
        topology.secondary.netdevs[0].options.append(QEMUKeyValue("downscript", "/etc/qemu-ifdown"))
        // 3. no filter-rewriter on the secondary (L044);
        topology.secondary.objects.append(.filter(.rewriter("rew0", netdev: "hn0")))
        // 4. clients without reconnect (L047, info) and a non-loopback address (L050, info).
        for index in topology.secondary.chardevs.indices {
            if case .socket(var socket) = topology.secondary.chardevs[index].backend {
                socket.reconnectSeconds = 1
                topology.secondary.chardevs[index].backend = .socket(socket)
            }
        }
        #expect(topology.replacingInetHost("3.3.3.3", with: "127.0.0.1") == .reference)
    }

    @Test("Malformed arguments give errors naming the argument", arguments: [
        ("-netdev tap,id=hn0,=x", LintRule.invalidValue, 1, "empty key"),
        ("-object id=m0,netdev=hn0", .missingParameter, 1, "no type"),
        ("-netdev user,id=n0\n-object filter-mirorr,id=m0,netdev=n0", .invalidValue, 3, "did you mean filter-mirror"),
        ("-chardev socket,id=c0,path=/tmp/a,server=on,wait=off\n-chardev socket,id=c0,path=/tmp/b,server=on,wait=off", .duplicateID, 3, "already used"),
        ("-object iothread,id=t\n-object iothread,id=t", .duplicateID, 3, "already used"),
        ("-object iothread,id=9t", .invalidValue, 1, "not an identifier"),
        ("-chardev socket,id=c0,host=127.0.0.1", .missingParameter, 1, "no port"),
        ("-chardev socket,id=c0,port=1,wait=off,host=127.0.0.1", .invalidValue, 1, "client with wait"),
        ("-chardev socket,id=c0,path=/tmp/a,server=on,reconnect=1", .invalidValue, 1, "server with reconnect"),
        ("-netdev user,id=n0\n-object filter-redirector,id=r,netdev=n0,queue=both,indev=x", .invalidValue, 3, "all, rx or tx"),
        ("-netdev user,id=n0\n-object filter-rewriter,id=r,netdev=n0,vnet_hdr_support=maybe", .invalidValue, 3, "on or off"),
        ("-netdev user,id=n0\n-object filter-rewriter,id=r,netdev=n0,position=middle", .invalidValue, 3, "head, tail or id="),
        ("-netdev usr,id=n0", .invalidValue, 1, "did you mean user"),
        ("-chardev sockett,id=c", .invalidValue, 1, "did you mean socket"),
        ("-netdev", .invalidValue, 1, "needs a value"),
    ])
    func malformed(_ text: String, _ rule: LintRule, _ index: Int, _ fragment: String) throws {
        let result = try QEMUArgsImporter.importHost(text, role: .primary)
        let finding = try #require(result.findings.first { $0.rule == rule })
        #expect(finding.argument?.index == index)
        #expect(finding.severity == .error)
        #expect(LintReport.headline(of: finding).contains(fragment) || (finding.hint ?? "").contains(fragment))
    }

    @Test("The strict import refuses what QEMU refuses and names host and argument")
    func strictImportRefuses() {
        do {
            _ = try QEMUArgsImporter.topology(primary: Fixtures.referencePrimary + "\n-objetc iothread,id=x", secondary: Fixtures.referenceSecondary)
            Issue.record("expected a refusal")
        } catch {
            guard case .rejected(let host, let findings) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(host == .primary)
            #expect(findings.map(\.rule) == [.unknownOption])
            #expect(error.description.contains("-objetc"))
            #expect(findings.first?.hint == "did you mean -object?")
        }
    }

    @Test("Program name, '--opt' spelling and irrelevant options are accepted and kept")
    func tolerantPass() throws {
        let text = "/usr/bin/qemu-system-x86_64 -enable-kvm --m 2048 -smp 2 -machine q35 -drive file=d.qcow2,if=virtio "
            + "-vnc :1 -qmp unix:/tmp/q,server=on,wait=off -incoming tcp:0.0.0.0:9998 -device virtio-rng-pci "
            + Fixtures.referenceSecondary.split(separator: "\n").joined(separator: " ")
        let result = try QEMUArgsImporter.importHost(text, role: .secondary)
        #expect(result.findings.isEmpty)
        #expect(result.commandLine.programName == "/usr/bin/qemu-system-x86_64")
        #expect(result.configuration.otherOptions.map(\.name) == ["enable-kvm", "m", "smp", "machine", "drive", "vnc", "qmp", "incoming", "device"])
        var withoutExtras = result.configuration
        withoutExtras.otherOptions = []
        #expect(withoutExtras == Topology.reference.secondary)
        #expect(result.findings.first?.argument == nil)
        let first = try #require(result.commandLine.arguments.first)
        #expect(first.location.index == 1)
    }
}

extension Topology {
    /// The topology with every inet chardev host `old` replaced by `new`.
    func replacingInetHost(_ old: String, with new: String) -> Topology {
        var copy = self
        for role in HostRole.allCases {
            for index in copy[role].chardevs.indices {
                guard case .socket(var socket) = copy[role].chardevs[index].backend,
                      case .inet(let host, let port) = socket.address, host == old
                else { continue }
                socket.address = .inet(host: new, port: port)
                copy[role].chardevs[index].backend = .socket(socket)
            }
        }
        return copy
    }
}
