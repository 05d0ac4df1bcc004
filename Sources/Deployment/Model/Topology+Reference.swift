import Primary

extension Topology {
    /// The documented COLO network topology (spec §10) with the ids of the 2016 colo-compare
    /// review mail: mirror and two redirectors on the primary, colo-compare in an iothread, two
    /// redirectors and a rewriter on the secondary. Chardev addresses are loopback so both QEMUs
    /// can run on one machine; the secondary's clients reconnect, as the upstream docs advise.
    public static let reference: Topology = {
        let mac = "52:a4:00:12:78:66"
        let tapScripts = [QEMUKeyValue("script", "/etc/qemu-ifup"), QEMUKeyValue("downscript", "/etc/qemu-ifdown")]
        let host = "127.0.0.1"
        func inet(_ port: String) -> SocketAddress { .inet(host: host, port: port) }

        let primary = HostConfiguration(
            netdevs: [NetdevConfiguration(id: "hn0", kind: .tap, vhost: false, options: tapScripts)],
            nics: [NICConfiguration(model: "e1000", id: "e0", netdev: "hn0", mac: mac)],
            chardevs: [
                .socket("mirror0", .server(inet("9003"))),
                .socket("compare1", .server(inet("9004"))),
                .socket("compare0", .server(inet("9001"))),
                .socket("compare0-0", .client(inet("9001"))),
                .socket("compare_out", .server(inet("9005"))),
                .socket("compare_out0", .client(inet("9005"))),
            ],
            objects: [
                .iothread(IOThreadConfiguration(id: "iothread")),
                .filter(.mirror("m0", netdev: "hn0", queue: .tx, outdev: "mirror0")),
                .filter(.redirector("redire0", netdev: "hn0", queue: .rx, indev: "compare_out")),
                .filter(.redirector("redire1", netdev: "hn0", queue: .rx, outdev: "compare0")),
                .coloCompare(COLOCompareObject(
                    id: "comp0",
                    primaryIn: "compare0-0",
                    secondaryIn: "compare1",
                    outdev: "compare_out0",
                    iothread: "iothread"
                )),
            ]
        )
        let secondary = HostConfiguration(
            netdevs: [NetdevConfiguration(id: "hn0", kind: .tap, vhost: false, options: tapScripts)],
            nics: [NICConfiguration(model: "e1000", netdev: "hn0", mac: mac)],
            chardevs: [
                .socket("red0", .client(inet("9003"), reconnect: 1)),
                .socket("red1", .client(inet("9004"), reconnect: 1)),
            ],
            objects: [
                .filter(.redirector("f1", netdev: "hn0", queue: .tx, indev: "red0")),
                .filter(.redirector("f2", netdev: "hn0", queue: .rx, outdev: "red1")),
                .filter(.rewriter("rew0", netdev: "hn0", queue: .all)),
            ]
        )
        return Topology(primary: primary, secondary: secondary)
    }()
}
