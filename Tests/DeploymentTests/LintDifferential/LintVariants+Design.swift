import Fabric
import LockstepTestSupport
@testable import Deployment

extension LintVariantCatalog {
    /// COLO design mistakes QEMU accepts: queues, order, vnet headers, missing pieces.
    mutating func addDesignFamilies() {
        let queues: [(HostRole, String, [String])] = [
            (.primary, "m0", ["rx", "all"]), (.primary, "redire0", ["tx", "all"]), (.primary, "redire1", ["tx", "all"]),
            (.secondary, "f1", ["rx", "all"]), (.secondary, "f2", ["tx", "all"]), (.secondary, "rew0", ["rx", "tx"]),
        ]
        for (host, id, values) in queues {
            for value in values { setKey("design-queue", host, id, "queue", value) }
        }
        edit("design-order", "P redire1 before redire0", .primary) { $0.swap("redire0", "redire1") }
        edit("design-order", "S f2 before f1", .secondary) { $0.swap("f1", "f2") }
        edit("design-order", "S rew0 first", .secondary) { $0.swap("f1", "rew0") }
        for (host, id) in [(HostRole.primary, "m0"), (.primary, "redire0"), (.primary, "comp0"), (.secondary, "f1"), (.secondary, "rew0")] {
            setKey("design-vnet", host, id, "vnet_hdr_support", "on")
        }
        editBoth("design-vnet", "virtio-net-pci NICs, filters without vnet_hdr_support") { primary, secondary in
            primary.items[1].value = primary.items[1].value.map { "virtio-net-pci" + $0.drop { $0 != "," } }
            secondary.items[1].value = secondary.items[1].value.map { "virtio-net-pci" + $0.drop { $0 != "," } }
        }
        for (host, id) in [(HostRole.secondary, "rew0"), (.primary, "m0"), (.secondary, "f1"), (.secondary, "f2"),
                           (.primary, "redire0"), (.primary, "redire1"), (.primary, "comp0")] {
            edit("design-drop", "\(host) without \(id)", host) { $0.remove(id) }
        }
        for (host, id) in [(HostRole.secondary, "rew0"), (.primary, "m0"), (.secondary, "f1")] {
            setKey("design-status", host, id, "status", "off")
        }
        append("design-misc", "a spare -netdev user without NIC", .primary, [("-netdev", "user,id=spare")])
        append("design-misc", "-nic user", .primary, [("-nic", "user,model=e1000")])
        append("design-misc", "-net nic and -net user", .primary, [("-net", "nic"), ("-net", "user")])
        append("design-misc", "a NIC without netdev", .primary, [("-device", "e1000,id=e9")])
        edit("design-misc", "P without its NIC", .primary) { $0.edit("e0") { _ in "virtio-rng-pci" } }
        append("design-misc", "a monitor chardev nobody pairs with", .primary,
               [("-chardev", "socket,id=mon0,path=/tmp/colo/mon.sock,server=on,wait=off"), ("-mon", "chardev=mon0,mode=control")])
        append("design-misc", "a client chardev off the COLO path with nothing to connect to", .primary,
               [("-chardev", "socket,id=stray,host=127.0.0.1,port=9030")])
    }

    /// Hostile and degenerate input (issue #19): empty and non-COLO lines, huge values.
    mutating func addHostileFamily() {
        add("hostile", "both command lines empty", primary: OptionList(words: []), secondary: OptionList(words: []))
        add("hostile", "a VM with no COLO part", primary: OptionList(words: ["-netdev", "user,id=n0", "-device", "e1000,netdev=n0"]),
            secondary: OptionList(words: ["-m", "64"]))
        let keys = (0..<2000).map { "k\($0)=v" }.joined(separator: ",")
        append("hostile", "one object with 2000 unknown keys", .primary, [("-object", "iothread,id=io9," + keys)])
        append("hostile", "a 100 KB id", .primary, [("-object", "iothread,id=x" + String(repeating: "a", count: 100_000))])
    }

    /// The 2016 patch mail's command lines (host 3.3.3.3, on the namespace's loopback): as
    /// published, with the secondary's split `downscript` joined, with an iothread too, and with
    /// the secondary started first.
    mutating func addSeedFamily() {
        guard let primaryText = try? PatchMailCommandLines.primary(), let secondaryText = try? PatchMailCommandLines.secondary(),
              let primaryWords = try? ShellWords.split(primaryText).map(\.text),
              let secondaryWords = try? ShellWords.split(secondaryText).map(\.text)
        else { return }
        let published = (primary: OptionList(words: primaryWords), secondary: OptionList(words: secondaryWords))
        let address = ["3.3.3.3/32"]
        add("seed", "the patch mail as published", primary: published.primary, secondary: published.secondary, addresses: address)
        var joined = published.secondary
        if let split = joined.items.firstIndex(where: { $0.option == "script=/etc/qemu-ifdown" }) {
            joined.items.remove(at: split)
            joined.edit("hn0") { $0.replacing(",down", with: ",downscript=/etc/qemu-ifdown") }
        }
        add("seed", "downscript joined", primary: published.primary, secondary: joined, addresses: address)
        var withThread = published.primary
        withThread.items.insert(OptionList.Item(option: "-object", value: "iothread,id=iothread"), at: 0)
        withThread.edit("comp0") { $0 + ",iothread=iothread" }
        add("seed", "downscript joined and an iothread", primary: withThread, secondary: joined, addresses: address)
        add("seed", "fixed, secondary started first", primary: withThread, secondary: joined, first: .secondary, addresses: address)
    }

    /// Seeded random edits of one argument: drop, rename or revalue a key, add a key, drop,
    /// duplicate or swap an option, or change one character.
    mutating func addRandomFamily(seed: UInt64, count: Int) {
        var random = SplitMix64(seed: seed)
        func below(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
        func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }
        let values = ["on", "off", "0", "-1", "1", "hn9", "mirror0", "red1", "tx", "rx", "all", "", "x y", "9003",
                      "127.0.0.1", "localhost", "id=m0", "head", "1.5", "abc", "0.0.0.0"]
        let keys = ["queue", "status", "netdev", "id", "server", "wait", "reconnect", "vnet_hdr_support", "port", "host",
                    "position", "insert", "iothread"]
        for index in 0..<count {
            let host: HostRole = pick([.primary, .secondary, .primary])
            var list = host == .primary ? reference.primary : reference.secondary
            let candidates = list.items.indices.filter { list.items[$0].value != nil }
            let position = pick(candidates)
            let option = list.items[position].option
            var elements = OptionValue.elements(list.items[position].value ?? "")
            let kind = pick(["drop-key", "value", "rename-key", "drop-option", "dup-option", "swap", "char-edit", "add-key"])
            switch kind {
            case "drop-key" where elements.count > 2:
                elements.remove(at: 1 + below(elements.count - 1))
                list.items[position].value = OptionValue.join(elements)
            case "value" where elements.count > 1:
                let element = 1 + below(elements.count - 1)
                if let equals = elements[element].firstIndex(of: "=") {
                    elements[element] = elements[element][..<equals] + "=" + pick(values)
                }
                list.items[position].value = OptionValue.join(elements)
            case "rename-key" where elements.count > 1:
                let element = 1 + below(elements.count - 1)
                if let equals = elements[element].firstIndex(of: "=") {
                    let key = String(elements[element][..<equals])
                    let renamed = pick([String(key.dropLast()), key + "s", key.uppercased(), key.replacing("_", with: "-"), key.replacing("-", with: "_")])
                    elements[element] = renamed + elements[element][equals...]
                }
                list.items[position].value = OptionValue.join(elements)
            case "drop-option":
                list.items.remove(at: position)
            case "dup-option":
                list.items.insert(list.items[position], at: position + 1)
            case "swap":
                list.items.swapAt(position, pick(candidates))
            case "char-edit":
                var characters = Array(list.items[position].value ?? "")
                let at = below(characters.count)
                let character = pick(Array("abcdefgxyz0123456789=,_-."))
                switch below(3) {
                case 0: characters.remove(at: at)
                case 1: characters[at] = character
                default: characters.insert(character, at: at)
                }
                list.items[position].value = String(characters)
            case "add-key":
                elements.append(pick(keys) + "=" + pick(values))
                list.items[position].value = OptionValue.join(elements)
            default:
                break
            }
            let number = String(index)
            let name = "r" + String(repeating: "0", count: max(0, 3 - number.count)) + number + " \(host == .primary ? "P" : "S") \(kind) \(option)#\(position)"
            if host == .primary { add("random", name, primary: list) } else { add("random", name, secondary: list) }
        }
    }
}
