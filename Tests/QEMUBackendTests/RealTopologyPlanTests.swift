import Testing
import Deployment
@testable import QEMUBackend

/// The real command lines change only the two ends of each host (no QEMU needed to check).
@Suite("Real backend: the command lines for the reference topology")
struct RealTopologyPlanTests {
    let plan: RealTopologyPlan

    init() throws {
        plan = try RealTopologyPlan(topology: .reference, directory: "/tmp/x", traceEvents: ["colo_compare_main"])
    }

    func value(after option: String, containing text: String, in arguments: [String]) -> String? {
        zip(arguments, arguments.dropFirst()).first { $0.0 == option && $0.1.contains(text) }?.1
    }

    @Test("The tap end is a dgram unix socket on the filters' netdev; the NIC is hub 0 joined to Lockstep's guest socket")
    func ends() {
        let primary = plan[.primary]
        #expect(primary.tapNetdev == "hn0")
        #expect(value(after: "-netdev", containing: "id=hn0", in: primary.arguments)
            == "dgram,id=hn0,local.type=unix,local.path=/tmp/x/p-tap.q,remote.type=unix,remote.path=/tmp/x/p-tap.l")
        #expect(value(after: "-netdev", containing: "lockstep-guest,", in: primary.arguments)?.hasPrefix("dgram,") == true)
        #expect(value(after: "-netdev", containing: "lockstep-hub-tap", in: primary.arguments) == "hubport,id=lockstep-hub-tap,hubid=0,netdev=hn0")
        #expect(!primary.arguments.contains("-device"))
        #expect(value(after: "-M", containing: "none", in: primary.arguments) == "none")
    }

    @Test("Filters are the exported ones; colo-compare waits for object-add at run time zero")
    func objects() {
        let objects = zip(plan[.primary].arguments, plan[.primary].arguments.dropFirst()).filter { $0.0 == "-object" }.map(\.1)
        #expect(objects == [
            "iothread,id=iothread",
            "filter-mirror,id=m0,netdev=hn0,queue=tx,outdev=mirror0",
            "filter-redirector,id=redire0,netdev=hn0,queue=rx,indev=compare_out",
            "filter-redirector,id=redire1,netdev=hn0,queue=rx,outdev=compare0",
        ])
        #expect(plan.compares.map(\.configuration.id) == ["comp0"])
        let added = RealTopologyPlan.objectAdd(plan.compares[0].configuration)
        #expect(added["qom-type"] as? String == "colo-compare")
        #expect(added["primary_in"] as? String == "compare0-0")
        #expect(added["iothread"] as? String == "iothread")
    }

    @Test("Every chardev link has a relay: the client connects to it, it connects on to the server")
    func relays() {
        #expect(plan.relays.count == 4)
        let mirror = plan.relays.first { $0.link.server == ChardevEndpoint(host: .primary, chardev: "mirror0") }
        #expect(mirror?.writer == ChardevEndpoint(host: .primary, chardev: "mirror0"))
        #expect(mirror?.reader == ChardevEndpoint(host: .secondary, chardev: "red0"))
        let secondary = plan[.secondary].arguments
        #expect(value(after: "-chardev", containing: "id=red0", in: secondary) == "socket,id=red0,path=\(mirror?.listenPath ?? ""),reconnect=1")
        #expect(value(after: "-chardev", containing: "id=mirror0", in: plan[.primary].arguments)
            == "socket,id=mirror0,path=\(mirror?.serverPath ?? ""),server=on,wait=off")
        #expect(secondary.suffix(2) == ["-incoming", "unix:/tmp/x/mig.sock"])
    }

    @Test("A topology whose host has two NICs on netdevs is refused with its reason")
    func twoNICs() {
        var topology = Topology.reference
        topology.primary.nics.append(NICConfiguration(model: "e1000", id: "e1", netdev: "hn0"))
        #expect(throws: QEMUBackendError.self) { try RealTopologyPlan(topology: topology, directory: "/tmp/x", traceEvents: []) }
    }
}
