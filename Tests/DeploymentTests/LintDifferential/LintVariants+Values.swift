@testable import Deployment

extension LintVariantCatalog {
    /// QEMU's JSON form of -object, -netdev and -device (typed and untyped), and -chardev,
    /// which has none.
    mutating func addJSONFamily() {
        for (host, id) in [(HostRole.primary, "m0"), (.primary, "redire0"), (.primary, "redire1"), (.primary, "comp0"),
                           (.primary, "iothread"), (.secondary, "f1"), (.secondary, "f2"), (.secondary, "rew0")] {
            edit("json-syntax", "\(host) \(id) as JSON", host) { $0.edit(id) { OptionValue.json($0, implied: "qom-type") } }
        }
        edit("json-syntax", "P hn0 as JSON (string vhost)", .primary) { $0.edit("hn0") { OptionValue.json($0, implied: "type") } }
        edit("json-syntax", "P e0 as JSON", .primary) { $0.edit("e0") { OptionValue.json($0, implied: "driver") } }
        edit("json-syntax", "P mirror0 as JSON", .primary) { $0.edit("mirror0") { OptionValue.json($0, implied: "backend") } }
        edit("json-syntax", "S red0 as JSON", .secondary) { $0.edit("red0") { OptionValue.json($0, implied: "backend") } }
        let typed: [(String, HostRole, String, String)] = [
            ("P hn0 JSON with vhost false", .primary, "hn0",
             #"{"type":"tap","id":"hn0","vhost":false,"script":"/etc/qemu-ifup","downscript":"/etc/qemu-ifdown"}"#),
            ("S hn0 JSON with vnet_hdr true", .secondary, "hn0",
             #"{"type":"tap","id":"hn0","vhost":false,"vnet_hdr":true,"script":"/etc/qemu-ifup","downscript":"/etc/qemu-ifdown"}"#),
            ("P comp0 JSON compare_timeout 3000", .primary, "comp0",
             #"{"qom-type":"colo-compare","id":"comp0","primary_in":"compare0-0","secondary_in":"compare1","outdev":"compare_out0","iothread":"iothread","compare_timeout":3000}"#),
            ("P comp0 JSON compare_timeout as string", .primary, "comp0",
             #"{"qom-type":"colo-compare","id":"comp0","primary_in":"compare0-0","secondary_in":"compare1","outdev":"compare_out0","iothread":"iothread","compare_timeout":"3000"}"#),
            ("P comp0 JSON max_queue_size -1", .primary, "comp0",
             #"{"qom-type":"colo-compare","id":"comp0","primary_in":"compare0-0","secondary_in":"compare1","outdev":"compare_out0","iothread":"iothread","max_queue_size":-1}"#),
            ("P comp0 JSON with unknown key", .primary, "comp0",
             #"{"qom-type":"colo-compare","id":"comp0","primary_in":"compare0-0","secondary_in":"compare1","outdev":"compare_out0","iothread":"iothread","frob":"x"}"#),
            ("P m0 JSON typed vnet_hdr_support", .primary, "m0",
             #"{"qom-type":"filter-mirror","id":"m0","netdev":"hn0","queue":"tx","outdev":"mirror0","vnet_hdr_support":false}"#),
            ("P m0 JSON vnet_hdr_support as string", .primary, "m0",
             #"{"qom-type":"filter-mirror","id":"m0","netdev":"hn0","queue":"tx","outdev":"mirror0","vnet_hdr_support":"off"}"#),
            ("P m0 JSON status as boolean", .primary, "m0",
             #"{"qom-type":"filter-mirror","id":"m0","netdev":"hn0","queue":"tx","outdev":"mirror0","status":true}"#),
            ("P m0 JSON queue as number", .primary, "m0",
             #"{"qom-type":"filter-mirror","id":"m0","netdev":"hn0","queue":2,"outdev":"mirror0"}"#),
            ("P m0 JSON broken", .primary, "m0", #"{"qom-type":"filter-mirror","id":"m0""#),
            ("P m0 JSON trailing comma", .primary, "m0", #"{"qom-type":"filter-mirror","id":"m0","netdev":"hn0","queue":"tx","outdev":"mirror0",}"#),
            ("P m0 JSON duplicate key", .primary, "m0", #"{"qom-type":"filter-mirror","id":"m0","id":"m1","netdev":"hn0","queue":"tx","outdev":"mirror0"}"#),
            ("P m0 JSON then text", .primary, "m0", #"{"qom-type":"filter-mirror","id":"m0","netdev":"hn0","queue":"tx","outdev":"mirror0"}x"#),
            ("P m0 JSON without netdev", .primary, "m0", #"{"qom-type":"filter-mirror","id":"m0","queue":"tx","outdev":"mirror0"}"#),
            ("P m0 JSON without qom-type", .primary, "m0", #"{"id":"m0","netdev":"hn0","queue":"tx","outdev":"mirror0"}"#),
            ("P e0 JSON mac as number", .primary, "e0", #"{"driver":"e1000","id":"e0","netdev":"hn0","mac":5}"#),
        ]
        for (name, host, id, json) in typed {
            edit("json-syntax", name, host) { $0.edit(id) { _ in json } }
        }
        append("json-syntax", "stream netdev in JSON with nested addr", .primary,
               [("-netdev", #"{"type":"stream","id":"st0","server":true,"addr":{"type":"inet","host":"127.0.0.1","port":"9100"}}"#)])
    }

    /// Values QEMU accepts and refuses: numbers, ports, booleans, choices, ids.
    mutating func addValueFamilies() {
        for value in ["-1", "0", "2", "abc", "1.5", "0x10", "", "99999999999", "-5", "010"] {
            setKey("value-reconnect", .secondary, "red0", "reconnect", value)
        }
        for value in ["1000", "-1"] {
            edit("value-reconnect", "S red0 reconnect-ms=\(value)", .secondary) { list in
                list.set("red0", "reconnect", nil)
                list.set("red0", "reconnect-ms", value)
            }
        }
        edit("value-reconnect", "S red0 reconnect=-1 to a port nobody serves", .secondary) { $0.edit("red0") { OptionValue.set(OptionValue.set($0, "reconnect", "-1"), "port", "9006") } }
        for value in ["0", "65535", "65536", "99999", "-1", "abc", "", "9003a", "http"] {
            editBoth("value-port", "both ends port=\(value)") { primary, secondary in
                primary.set("mirror0", "port", value)
                secondary.set("red0", "port", value)
            }
        }
        let objectValues: [(String, String, [String])] = [
            ("comp0", "compare_timeout", ["0", "-1", "3000", "4294967295", "4294967296", "18446744073709551615", "0x10", "1e3", "abc"]),
            ("comp0", "expired_scan_cycle", ["0", "-1", "1", "4294967296", "abc"]),
            ("comp0", "max_queue_size", ["0", "1", "4294967296"]),
            ("comp0", "vnet_hdr_support", ["yes", "1", "maybe"]),
            ("m0", "queue", ["RX", "both", "", "all"]),
            ("m0", "status", ["ON", "off", "true", ""]),
            ("m0", "vnet_hdr_support", ["yes", "1"]),
        ]
        for (id, key, values) in objectValues {
            for value in values { setKey("value-object", .primary, id, key, value) }
        }
        let extras: [(String, String)] = [
            ("filter-buffer interval=0", "filter-buffer,id=b0,netdev=hn0,interval=0"),
            ("filter-buffer interval=-1", "filter-buffer,id=b0,netdev=hn0,interval=-1"),
            ("filter-buffer interval=1000", "filter-buffer,id=b0,netdev=hn0,interval=1000"),
            ("filter-buffer without interval", "filter-buffer,id=b0,netdev=hn0"),
            ("filter-dump maxlen=0", "filter-dump,id=d0,netdev=hn0,file=/tmp/d.pcap,maxlen=0"),
            ("filter-dump maxlen=-1", "filter-dump,id=d0,netdev=hn0,file=/tmp/d.pcap,maxlen=-1"),
            ("filter-dump without file", "filter-dump,id=d0,netdev=hn0"),
            ("filter-dump", "filter-dump,id=d0,netdev=hn0,file=/tmp/d.pcap"),
        ]
        for (name, value) in extras {
            append("value-object", "extra \(name)", .primary, [("-object", value)])
        }
        for value in ["on", "off", "yes", "no", "true", "false", "y", "n", "ON", "1", "maybe"] {
            setKey("value-bool", .primary, "mirror0", "server", value)
        }
        for value in ["on", "yes", "1", "maybe"] {
            setKey("value-bool", .primary, "mirror0", "wait", value)
        }
        setKey("value-bool", .secondary, "red0", "nodelay", "on")
        for bad in ["1mirror", "mirror 0", "mirror,,0", "_m", "m-0.x_y", String(repeating: "mirror0", count: 20), "mïrror"] {
            edit("value-id", "chardev id \(bad.prefix(20))", .primary) { list in
                list.set("mirror0", "id", bad)
                list.set("m0", "outdev", bad)
            }
        }
        for bad in ["1hn", "hn.0"] {
            edit("value-id", "netdev id \(bad)", .secondary) { list in
                list.set("hn0", "id", bad)
                for filter in ["f1", "f2", "rew0"] { list.set(filter, "netdev", bad) }
                list.items[1].value = list.items[1].value.map { OptionValue.set($0, "netdev", bad) }
            }
        }
        setKey("value-id", .primary, "m0", "id", "1m0")
    }
}
