@testable import Deployment

extension LintVariantCatalog {
    /// What QEMU checks when it creates filters and compares: references, chardevs in use,
    /// duplicates, and `position`.
    mutating func addReferenceFamilies() {
        let keys: [(HostRole, String, String, String?)] = [
            (.primary, "m0", "netdev", "hn9"), (.primary, "m0", "netdev", "e0"), (.secondary, "f1", "netdev", "hn9"),
            (.primary, "m0", "outdev", "mirror9"), (.primary, "redire0", "indev", "nothere"),
            (.primary, "redire1", "outdev", "nothere"), (.secondary, "f1", "indev", "red9"),
            (.primary, "comp0", "primary_in", "nothere"), (.primary, "comp0", "secondary_in", "nothere"),
            (.primary, "comp0", "outdev", "nothere"), (.primary, "comp0", "secondary_in", "compare0-0"),
            (.primary, "comp0", "outdev", "compare0-0"), (.primary, "comp0", "outdev", "compare1"),
            (.primary, "comp0", "iothread", "nothere"), (.primary, "comp0", "iothread", "m0"),
            (.primary, "comp0", "iothread", nil), (.primary, "comp0", "primary_in", nil), (.primary, "comp0", "outdev", nil),
            (.primary, "comp0", "notify_dev", "nd0"), (.primary, "m0", "outdev", nil), (.primary, "m0", "netdev", nil),
            (.secondary, "f1", "indev", nil), (.secondary, "f1", "outdev", "red0"),
            (.primary, "redire1", "outdev", "mirror0"), (.primary, "redire0", "indev", "compare0"),
            (.primary, "comp0", "primary_in", "mirror0"),
        ]
        for (host, id, key, value) in keys {
            setKey("ref", host, id, key, value)
        }
        edit("ref", "P compare_out0 is a file chardev", .primary) { $0.edit("compare_out0") { _ in "file,id=compare_out0,path=/tmp/cout.txt" } }
        edit("ref", "P compare_out0 is a null chardev", .primary) { $0.edit("compare_out0") { _ in "null,id=compare_out0" } }
        edit("ref", "P mirror0 is a file chardev", .primary) { $0.edit("mirror0") { _ in "file,id=mirror0,path=/tmp/mirror.txt" } }
        edit("ref", "P mirror0 is a ringbuf chardev", .primary) { $0.edit("mirror0") { _ in "ringbuf,id=mirror0" } }
        append("ref", "a second mirror on mirror0", .primary, [("-object", "filter-mirror,id=m1,netdev=hn0,queue=tx,outdev=mirror0")])
        append("ref", "duplicate iothread", .primary, [("-object", "iothread,id=iothread")])
        append("ref", "duplicate chardev mirror0", .primary, [("-chardev", "socket,id=mirror0,host=127.0.0.1,port=9013,server=on,wait=off")])
        append("ref", "duplicate netdev hn0", .primary, [("-netdev", "user,id=hn0")])
        append("ref", "object id equal to a netdev id", .primary, [("-object", "iothread,id=hn0")])
        append("ref", "chardev id equal to an object id", .primary, [("-chardev", "null,id=m0")])
        let positions: [(String?, String?)] = [
            ("head", nil), ("tail", nil), ("id=m0", nil), ("id=m0", "before"), ("id=m0", "behind"), ("id=nothere", nil),
            ("id=redire1", nil), ("id=iothread", nil), ("id=comp0", nil), ("id=redire0", nil), ("id=", nil), ("middle", nil),
            (nil, "before"), (nil, "sideways"), ("id=e0", nil), ("id=hn0", nil),
        ]
        for (position, insert) in positions {
            edit("position", "P redire0 position=\(position ?? "-") insert=\(insert ?? "-")", .primary) { list in
                if let position { list.set("redire0", "position", position) }
                if let insert { list.set("redire0", "insert", insert) }
            }
        }
        append("position", "filter on another netdev placed at m0", .primary,
               [("-netdev", "hubport,id=hn1,hubid=0"), ("-object", "filter-buffer,id=b1,netdev=hn1,interval=1000,position=id=m0")])
        setKey("position", .secondary, "rew0", "position", "head")
        setKey("position", .secondary, "rew0", "position", "id=f1")
        setKey("position", .secondary, "rew0", "position", "id=rew0", name: "S rew0 placed at itself")
        setKey("position", .primary, "m0", "position", "id=m0", name: "P m0 placed at itself")
    }

    /// The key=value syntax: short forms, empty keys, missing ids and types, typos, addresses.
    mutating func addSyntaxFamily() {
        let edits: [(String, HostRole, String, (String) -> String)] = [
            ("P m0 short-form status", .primary, "m0", { $0 + ",status" }),
            ("P mirror0 server,nowait", .primary, "mirror0", { OptionValue.set(OptionValue.set($0, "server", nil), "wait", nil) + ",server,nowait" }),
            ("P comp0 short-form vnet_hdr_support", .primary, "comp0", { $0 + ",vnet_hdr_support" }),
            ("P hn0 short-form novhost", .primary, "hn0", { OptionValue.set($0, "vhost", nil) + ",novhost" }),
            ("P hn0 empty key =x", .primary, "hn0", { $0 + ",=x" }),
            ("P hn0 id given as =hn0", .primary, "hn0", { $0.replacing("id=hn0", with: "=hn0") }),
            ("P m0 netdev given as =hn0", .primary, "m0", { $0.replacing("netdev=hn0", with: "=hn0") }),
            ("P mirror0 id given as =mirror0", .primary, "mirror0", { $0.replacing("id=mirror0", with: "=mirror0") }),
            ("P m0 trailing comma", .primary, "m0", { $0 + "," }),
            ("P m0 status with a doubled comma", .primary, "m0", { OptionValue.set($0, "status", "on,off") }),
            ("P m0 netdev=hn9,netdev=hn0", .primary, "m0", { $0.replacing("netdev=hn0", with: "netdev=hn9,netdev=hn0") }),
            ("P m0 netdev=hn0,netdev=hn9", .primary, "m0", { $0.replacing("netdev=hn0", with: "netdev=hn0,netdev=hn9") }),
            ("P mirror0 without id", .primary, "mirror0", { OptionValue.set($0, "id", nil) }),
            ("P hn0 without id", .primary, "hn0", { OptionValue.set($0, "id", nil) }),
            ("P m0 without id", .primary, "m0", { OptionValue.set($0, "id", nil) }),
            ("P iothread without id", .primary, "iothread", { OptionValue.set($0, "id", nil) }),
            ("P hn0 without type", .primary, "hn0", { String($0.drop { $0 != "," }.dropFirst()) }),
            ("P mirror0 without backend", .primary, "mirror0", { String($0.drop { $0 != "," }.dropFirst()) }),
            ("P m0 without qom-type", .primary, "m0", { String($0.drop { $0 != "," }.dropFirst()) }),
            ("P e0 without driver", .primary, "e0", { String($0.drop { $0 != "," }.dropFirst()) }),
            ("P mirror0 backend sockt", .primary, "mirror0", { "sockt" + $0.dropFirst(6) }),
            ("P m0 qom-type= written", .primary, "m0", { "qom-type=" + $0 }),
            ("P hn0 type= written", .primary, "hn0", { "type=" + $0 }),
            ("P mirror0 backend= written", .primary, "mirror0", { "backend=" + $0 }),
            ("P e0 driver= written", .primary, "e0", { "driver=" + $0 }),
            ("P m0 key typo outdevv", .primary, "m0", { OptionValue.renameKey($0, "outdev", "outdevv") }),
            ("P m0 key typo queu", .primary, "m0", { OptionValue.renameKey($0, "queue", "queu") }),
            ("P m0 key typo Id", .primary, "m0", { OptionValue.renameKey($0, "id", "Id") }),
            ("P mirror0 key typo hots", .primary, "mirror0", { OptionValue.renameKey($0, "host", "hots") }),
            ("P mirror0 key typo prot", .primary, "mirror0", { OptionValue.renameKey($0, "port", "prot") }),
            ("S red0 key typo reconect", .secondary, "red0", { OptionValue.renameKey($0, "reconnect", "reconect") }),
            ("P mirror0 size= (another backend's key)", .primary, "mirror0", { $0 + ",size=64" }),
            ("P mirror0 path and host", .primary, "mirror0", { $0 + ",path=/tmp/x.sock" }),
            ("P mirror0 fd and host", .primary, "mirror0", { $0 + ",fd=3" }),
            ("P mirror0 host without port", .primary, "mirror0", { OptionValue.set($0, "port", nil) }),
            ("P mirror0 port without host", .primary, "mirror0", { OptionValue.set($0, "host", nil) }),
            ("P mirror0 no address", .primary, "mirror0", { OptionValue.set(OptionValue.set($0, "host", nil), "port", nil) }),
            ("S red0 no address", .secondary, "red0", { OptionValue.set(OptionValue.set($0, "host", nil), "port", nil) }),
            ("S red0 port without host, no reconnect", .secondary, "red0", { OptionValue.set(OptionValue.set($0, "host", nil), "reconnect", nil) }),
            ("P mirror0 server with reconnect", .primary, "mirror0", { OptionValue.set($0, "reconnect", "1") }),
            ("S red0 client with wait=off", .secondary, "red0", { OptionValue.set($0, "wait", "off") }),
            ("S red0 client with nowait", .secondary, "red0", { $0 + ",nowait" }),
            ("P mirror0 telnet=on", .primary, "mirror0", { OptionValue.set($0, "telnet", "on") }),
            ("P mirror0 websocket=on", .primary, "mirror0", { OptionValue.set($0, "websocket", "on") }),
            ("P mirror0 tls-creds without the object", .primary, "mirror0", { OptionValue.set($0, "tls-creds", "tls0") }),
            ("P mirror0 ipv6=on on an IPv4 host", .primary, "mirror0", { OptionValue.set($0, "ipv6", "on") }),
            ("P mirror0 to=9010", .primary, "mirror0", { OptionValue.set($0, "to", "9010") }),
            ("P mirror0 mux=on", .primary, "mirror0", { OptionValue.set($0, "mux", "on") }),
            ("P mirror0 logfile", .primary, "mirror0", { OptionValue.set($0, "logfile", "/tmp/mirror0.log") }),
        ]
        for (name, host, id, change) in edits {
            edit("syntax", name, host) { $0.edit(id, change) }
        }
        append("syntax", "stray word disk.qcow2", .primary, [("disk.qcow2", nil)])
        edit("syntax", "P last option without its value", .primary) { list in
            list.items[list.items.count - 1].value = nil
        }
    }
}
