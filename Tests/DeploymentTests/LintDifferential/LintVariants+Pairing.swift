@testable import Deployment

extension LintVariantCatalog {
    /// How QEMU pairs socket chardevs: host names and addresses, ports, roles, start order,
    /// creation order within one QEMU, unix paths.
    mutating func addPairingFamilies() {
        for server in ["localhost", "127.0.0.1", "0.0.0.0", "::", "", "::1"] {
            for client in ["localhost", "127.0.0.1", "::1", "127.0.0.2", "0.0.0.0"] where !(server == "127.0.0.1" && client == "127.0.0.1") {
                editBoth("pair-address", "mirror0 host='\(server)' red0 host='\(client)'") { primary, secondary in
                    primary.set("mirror0", "host", server)
                    secondary.set("red0", "host", client)
                }
            }
        }
        for host in ["localhost", "0.0.0.0", "127.0.0.2", "::1"] {
            setKey("pair-address", .primary, "compare0-0", "host", host, name: "P compare0-0 client host='\(host)'")
            setKey("pair-address", .primary, "compare0", "host", host, name: "P compare0 server host='\(host)'")
        }
        for host in ["localhost", "0.0.0.0", "::1"] {
            editBoth("pair-address", "every chardev host='\(host)'") { primary, secondary in
                for id in ["mirror0", "compare1", "compare0", "compare0-0", "compare_out", "compare_out0"] { primary.set(id, "host", host) }
                for id in ["red0", "red1"] { secondary.set(id, "host", host) }
            }
        }
        setKey("pair-address", .secondary, "red0", "host", "nonexistent.invalid")
        setKey("pair-address", .primary, "mirror0", "host", "nonexistent.invalid")
        setKey("pair-address", .secondary, "red0", "host", "", name: "S red0 client with an empty host")
        var onAddress = reference
        onAddress.primary.set("mirror0", "host", "3.3.3.3")
        add("pair-address", "P mirror0 host=3.3.3.3 (an address of the namespace)", primary: onAddress.primary, addresses: ["3.3.3.3/32"])
        onAddress.secondary.set("red0", "host", "3.3.3.3")
        add("pair-address", "mirror0 on 3.3.3.3, red0 to 3.3.3.3", primary: onAddress.primary, secondary: onAddress.secondary, addresses: ["3.3.3.3/32"])
        onAddress.primary.set("mirror0", "host", "0.0.0.0")
        add("pair-address", "mirror0 on 0.0.0.0, red0 to 3.3.3.3", primary: onAddress.primary, secondary: onAddress.secondary, addresses: ["3.3.3.3/32"])
        edit("pair-address", "P mirror0 host=3.3.3.4 (not an address here)", .primary,
             environment: "binding depends on the machine's addresses: the lint takes a server's address to be one of its host's") { $0.set("mirror0", "host", "3.3.3.4") }
        for (host, id) in [(HostRole.secondary, "red0"), (.secondary, "red1"), (.primary, "mirror0"), (.primary, "compare0-0"), (.primary, "compare_out0"), (.primary, "compare0")] {
            setKey("pair-port", host, id, "port", "9006")
        }
        setKey("pair-port", .secondary, "red1", "port", "9003", name: "S red1 port=9003 (two clients of mirror0)")
        setKey("pair-port", .primary, "compare0-0", "port", "9005", name: "P compare0-0 port=9005 (two clients of compare_out)")
        setKey("pair-port", .secondary, "red0", "port", "9001", name: "S red0 port=9001 (a second client of compare0)")
        setKey("pair-port", .primary, "compare1", "port", "9003", name: "P compare1 port=9003 (mirror0's port)")
        setKey("pair-port", .primary, "compare0", "port", "9003", name: "P compare0 port=9003 (mirror0's port)")
        setKey("pair-port", .primary, "compare0", "host", "0.0.0.0", name: "P compare0 on 0.0.0.0 beside 127.0.0.1 servers")
        editBoth("pair-port", "mirror0 and red0 both on port 9103") { primary, secondary in
            primary.set("mirror0", "port", "9103")
            secondary.set("red0", "port", "9103")
        }
        addRoleFamily()
        addUnixFamily()
    }

    private mutating func addRoleFamily() {
        func makeServer(_ value: String) -> String { OptionValue.set(OptionValue.set(value, "reconnect", nil), "server", "on") + ",wait=off" }
        func makeClient(_ value: String, reconnect: Bool) -> String {
            let client = OptionValue.set(OptionValue.set(value, "server", nil), "wait", nil)
            return reconnect ? client + ",reconnect=1" : client
        }
        edit("pair-role", "S red0 server=on (both servers across hosts)", .secondary) { $0.edit("red0", makeServer) }
        edit("pair-role", "S red0 server=on (both servers), secondary started first", .secondary, first: .secondary) { $0.edit("red0", makeServer) }
        edit("pair-role", "S red0 server=on with wait=on", .secondary) { list in
            list.edit("red0") { OptionValue.set(OptionValue.set($0, "reconnect", nil), "server", "on") }
        }
        edit("pair-role", "P compare0-0 server=on (both servers in one QEMU)", .primary) { $0.edit("compare0-0") { $0 + ",server=on,wait=off" } }
        edit("pair-role", "P mirror0 client (both clients)", .primary) { $0.edit("mirror0") { makeClient($0, reconnect: false) } }
        edit("pair-role", "P mirror0 client with reconnect (both clients)", .primary) { $0.edit("mirror0") { makeClient($0, reconnect: true) } }
        edit("pair-role", "P compare0 client (both clients in one QEMU)", .primary) { $0.edit("compare0") { makeClient($0, reconnect: false) } }
        editBoth("pair-role", "mirror0/red0 roles swapped") { primary, secondary in
            primary.edit("mirror0") { makeClient($0, reconnect: true) }
            secondary.edit("red0", makeServer)
        }
        editBoth("pair-role", "mirror0/red0 roles swapped, primary client without reconnect") { primary, secondary in
            primary.edit("mirror0") { makeClient($0, reconnect: false) }
            secondary.edit("red0", makeServer)
        }
        editBoth("pair-role", "mirror0/red0 roles swapped without reconnect, secondary started first", first: .secondary) { primary, secondary in
            primary.edit("mirror0") { makeClient($0, reconnect: false) }
            secondary.edit("red0", makeServer)
        }
        editBoth("pair-role", "the secondary serves both cross-host pipes") { primary, secondary in
            for id in ["mirror0", "compare1"] { primary.edit(id) { makeClient($0, reconnect: true) } }
            for id in ["red0", "red1"] { secondary.edit(id, makeServer) }
        }
        setKey("pair-role", .primary, "compare0", "wait", "on", name: "P compare0 wait=on (its client is later in the same QEMU)")
        setKey("pair-role", .primary, "mirror0", "wait", "on", name: "P mirror0 wait=on (its client is on the secondary)")
        setKey("pair-role", .primary, "mirror0", "wait", nil, name: "P mirror0 without wait (wait=on by default)")
        append("pair-role", "a waiting server nobody connects to", .primary,
               [("-chardev", "socket,id=lone,host=127.0.0.1,port=9020,server=on"), ("-object", "filter-mirror,id=m9,netdev=hn0,queue=tx,outdev=lone")])
        setKey("pair-role", .secondary, "red0", "reconnect", nil, name: "S red0 without reconnect")
        edit("pair-role", "S red0 and red1 without reconnect, secondary started first", .secondary, first: .secondary) { list in
            list.set("red0", "reconnect", nil)
            list.set("red1", "reconnect", nil)
        }
        edit("pair-order", "P compare0-0 (client) before compare0 (server)", .primary) { $0.swap("compare0", "compare0-0") }
        edit("pair-order", "P compare_out0 (client) before compare_out (server)", .primary) { $0.swap("compare_out", "compare_out0") }
        edit("pair-order", "P compare_out0 with reconnect before its server", .primary) { list in
            list.set("compare_out0", "reconnect", "1")
            list.swap("compare_out", "compare_out0")
        }
    }

    private mutating func addUnixFamily() {
        func unix(_ value: String, _ path: String) -> String {
            OptionValue.set(OptionValue.set(value, "host", nil), "port", nil) + ",path=" + path
        }
        editBoth("pair-unix", "mirror0/red0 on one unix path") { primary, secondary in
            primary.edit("mirror0") { unix($0, "/tmp/colo/mirror.sock") }
            secondary.edit("red0") { unix($0, "/tmp/colo/mirror.sock") }
        }
        editBoth("pair-unix", "mirror0/red0 on different unix paths") { primary, secondary in
            primary.edit("mirror0") { unix($0, "/tmp/colo/mirror.sock") }
            secondary.edit("red0") { unix($0, "/tmp/colo/mirr0r.sock") }
        }
        edit("pair-unix", "P compare0 pair on a unix path", .primary) { list in
            for id in ["compare0", "compare0-0"] { list.edit(id) { unix($0, "/tmp/colo/c0.sock") } }
        }
        edit("pair-unix", "P compare0-0 on a unix path before its server", .primary) { list in
            for id in ["compare0", "compare0-0"] { list.edit(id) { unix($0, "/tmp/colo/c0.sock") } }
            list.swap("compare0", "compare0-0")
        }
        edit("pair-unix", "P two unix servers on one path", .primary) { list in
            for id in ["compare0", "compare_out"] { list.edit(id) { unix($0, "/tmp/colo/same.sock") } }
        }
        edit("pair-unix", "P two unix servers on one path, both clients on it", .primary) { list in
            for id in ["compare0", "compare_out", "compare0-0", "compare_out0"] { list.edit(id) { unix($0, "/tmp/colo/same.sock") } }
        }
        editBoth("pair-unix", "mirror0/red0 both unix servers on one path") { primary, secondary in
            primary.edit("mirror0") { unix($0, "/tmp/colo/m.sock") }
            secondary.edit("red0") { OptionValue.set(OptionValue.set(unix($0, "/tmp/colo/m.sock"), "reconnect", nil), "server", "on") + ",wait=off" }
        }
        edit("pair-unix", "S red0 abstract unix socket", .secondary) { list in
            list.edit("red0") { unix($0, "colo-red0") + ",abstract=on" }
        }
        let long = "/tmp/colo/" + String(repeating: "l", count: 100) + ".sock"
        let fits = "/tmp/colo/" + String(repeating: "l", count: 93) + ".sock"
        editBoth("pair-unix", "mirror0/red0 on a 115-byte path") { primary, secondary in
            primary.edit("mirror0") { unix($0, long) }
            secondary.edit("red0") { unix($0, long) }
        }
        editBoth("pair-unix", "mirror0/red0 on a 108-byte path") { primary, secondary in
            primary.edit("mirror0") { unix($0, fits) }
            secondary.edit("red0") { unix($0, fits) }
        }
        edit("pair-unix", "P compare0 pair on a 115-byte path", .primary) { list in
            for id in ["compare0", "compare0-0"] { list.edit(id) { unix($0, long) } }
        }
        edit("pair-unix", "P mirror0 fd=5", .primary, environment: "an inherited descriptor: what fd 5 is depends on who starts QEMU") { list in
            list.edit("mirror0") { OptionValue.set(OptionValue.set($0, "host", nil), "port", nil) + ",fd=5" }
        }
    }
}
