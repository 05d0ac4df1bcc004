import Testing
@testable import Fabric
@testable import Deployment

@Suite("Topology model")
struct TopologyTests {
    @Test("§10: the reference topology pairs its chardevs as documented")
    func referenceLinks() {
        let links = Topology.reference.links.map { "\($0.server.chardev)<-\($0.client.chardev)" }
        #expect(links == ["compare0<-compare0-0", "compare_out<-compare_out0", "mirror0<-red0", "compare1<-red1"])
        #expect(Topology.reference.pairing.problems.isEmpty)
        let crossing = Topology.reference.links.filter(\.crossesHosts).map { "\($0.server)<-\($0.client)" }
        #expect(crossing == ["primary.mirror0<-secondary.red0", "primary.compare1<-secondary.red1"])
    }

    @Test("§10: reference filter lists are in creation order (m0, redire0, redire1 / f1, f2, rew0)")
    func referenceChains() {
        #expect(Topology.reference.primary.filterChains.order(on: "hn0") == ["m0", "redire0", "redire1"])
        #expect(Topology.reference.secondary.filterChains.order(on: "hn0") == ["f1", "f2", "rew0"])
    }

    @Test("F-1.6: position=head, id=X with insert=before/behind place filters as QEMU does")
    func positionAndInsert() {
        var host = HostConfiguration(netdevs: [NetdevConfiguration(id: "hn0", kind: .socket)])
        func add(_ id: String, _ position: FilterPosition, _ insert: FilterInsert = .behind) {
            host.objects.append(.filter(FilterConfiguration(kind: .dump, id: id, netdev: "hn0", position: position, insert: insert, file: "/x")))
        }
        add("a", .tail)
        add("b", .head)
        add("c", .filter("a"), .before)
        add("d", .filter("b"))
        add("e", .filter("zz"))
        #expect(host.filterChains.order(on: "hn0") == ["b", "d", "c", "a"])
        #expect(host.filterChains.rejections == [FilterChains.Rejection(filter: "e", reason: .positionFilterNotFound("zz"))])
    }

    @Test("F-1.2/F-1.3: filters on a NIC id, a vhost or a multiqueue netdev are refused")
    func refusedAttachments() {
        let host = HostConfiguration(
            netdevs: [
                NetdevConfiguration(id: "v", kind: .tap, vhost: true),
                NetdevConfiguration(id: "q", kind: .tap, queues: 4),
            ],
            nics: [NICConfiguration(model: "e1000", id: "e0", netdev: "v")],
            objects: [
                .filter(.rewriter("r1", netdev: "e0")),
                .filter(.rewriter("r2", netdev: "v")),
                .filter(.rewriter("r3", netdev: "q")),
            ]
        )
        #expect(host.filterChains.rejections == [
            FilterChains.Rejection(filter: "r1", reason: .netdevNotABackend("e0", namesNIC: true)),
            FilterChains.Rejection(filter: "r2", reason: .vhostUnsupported("v")),
            FilterChains.Rejection(filter: "r3", reason: .multiqueueUnsupported("q", queues: 4)),
        ])
    }

    @Test("F-1: the model's filter lists and refusals are the net core's own, filter by filter")
    func chainsAgreeWithNetCore() throws {
        func dump(_ id: String, _ netdev: String?, _ position: FilterPosition = .tail, _ insert: FilterInsert = .behind) -> QEMUObjectConfiguration {
            .filter(FilterConfiguration(kind: .dump, id: id, netdev: netdev, position: position, insert: insert, file: "/x"))
        }
        let host = HostConfiguration(
            netdevs: [
                NetdevConfiguration(id: "hn0", kind: .tap), NetdevConfiguration(id: "hn1", kind: .tap),
                NetdevConfiguration(id: "v", kind: .tap, vhost: true), NetdevConfiguration(id: "q", kind: .tap, queues: 2),
            ],
            nics: [NICConfiguration(model: "e1000", id: "e0", netdev: "hn0")],
            objects: [
                dump("a", "hn0"), dump("b", "hn0", .head), dump("c", "hn0", .filter("a"), .before), dump("d", "hn0", .filter("b")),
                dump("other", "hn1"), dump("e", "hn0", .filter("other")), dump("f", "hn0", .filter("io")),
                dump("g", "hn0", .filter("later")), dump("h", "e0"), dump("i", "v"), dump("j", "q"), dump("k", "nowhere"),
                dump("l", nil), dump("m", "hn0", .filter("k")), dump("later", "hn0"),
                .iothread(IOThreadConfiguration(id: "io", options: [])),
            ]
        )
        let chains = host.filterChains
        #expect(chains.order(on: "hn0") == ["b", "d", "c", "a", "later"])
        #expect(chains.order(on: "hn1") == ["other"])
        #expect(chains.rejections.map(\.filter) == ["e", "f", "g", "h", "i", "j", "k", "l", "m"])

        // The same objects created in a net core, early objects first as QEMU does.
        let core = NetCore()
        for netdev in host.netdevs {
            try core.addNetdev(name: netdev.id, queues: netdev.queues ?? 1, usesVhost: netdev.usesVhost)
        }
        try core.addNIC(name: "e0", driver: "e1000", peer: "hn0")
        try core.registerObject(id: "io", typeName: "iothread")
        var refused: [FilterChains.Rejection] = []
        for filter in host.objects.compactMap(\.filter) {
            let options = FilterOptions(id: filter.id, netdev: filter.netdev, position: filter.position.description, insert: filter.insert)
            do {
                try core.addFilter(PassiveFilter(), options: options)
            } catch {
                refused.append(FilterChains.Rejection(filter: filter.id, reason: error))
            }
        }
        #expect(chains.rejections == refused)
        for netdev in ["hn0", "hn1"] {
            #expect(chains.order(on: netdev) == core.clients.first { $0.name == netdev }?.filters.map(\.id))
        }
    }

    @Test("Frontend roles say who writes and who reads each chardev")
    func frontends() {
        let primary = Topology.reference.primary
        #expect(primary.frontends(ofChardev: "compare0") == [.redirectorOutdev(filter: "redire1")])
        #expect(primary.frontends(ofChardev: "compare0-0") == [.comparePrimaryIn(compare: "comp0")])
        #expect(primary.frontends(ofChardev: "mirror0").allSatisfy { $0.writes })
        let peer = Topology.reference.peerFrontends(of: ChardevEndpoint(host: .secondary, chardev: "red1"))
        #expect(peer?.endpoint == ChardevEndpoint(host: .primary, chardev: "compare1"))
        #expect(peer?.roles == [.compareSecondaryIn(compare: "comp0")])
    }

    @Test("L-10: only a virtio-net NIC on a tap that can carry headers uses vnet headers")
    func vnetHeaderUse() {
        var host = HostConfiguration(
            netdevs: [NetdevConfiguration(id: "t", kind: .tap), NetdevConfiguration(id: "off", kind: .tap, vnetHeader: false)],
            nics: [NICConfiguration(model: "virtio-net-pci", netdev: "t"), NICConfiguration(model: "virtio-net-pci", netdev: "off")]
        )
        #expect(host.usesVnetHeader(netdev: "t"))
        #expect(!host.usesVnetHeader(netdev: "off"))
        host.nics[0].model = "e1000"
        #expect(!host.usesVnetHeader(netdev: "t"))
    }

    @Test("Pairing reports a client with no server, two servers and a shared server")
    func pairingProblems() {
        let address = SocketAddress.inet(host: "127.0.0.1", port: "9100")
        let topology = Topology(
            primary: HostConfiguration(chardevs: [
                .socket("s1", .server(address)),
                .socket("lonely", .client(.unix(path: "/tmp/nowhere"))),
            ]),
            secondary: HostConfiguration(chardevs: [
                .socket("s2", .server(address)),
                .socket("c1", .client(address)),
                .socket("c2", .client(address)),
            ])
        )
        let pairing = topology.pairing
        #expect(pairing.problems.contains(.severalServers(
            [ChardevEndpoint(host: .primary, chardev: "s1"), ChardevEndpoint(host: .secondary, chardev: "s2")], address: address)))
        #expect(pairing.problems.contains(.clientWithoutServer(ChardevEndpoint(host: .primary, chardev: "lonely"), address: .unix(path: "/tmp/nowhere"))))
        #expect(pairing.problems.contains(.severalClients(
            server: ChardevEndpoint(host: .primary, chardev: "s1"),
            clients: [ChardevEndpoint(host: .secondary, chardev: "c1"), ChardevEndpoint(host: .secondary, chardev: "c2")],
            address: address)))
    }
}

/// A filter that lets every frame pass: only its place in the list matters here.
private final class PassiveFilter: NetFilter {
    let typeName = "filter-dump"

    func receive(_ frame: Frame, direction: NetDirection, sender: NetClient, context: FilterContext) -> FilterVerdict {
        .pass
    }
}
