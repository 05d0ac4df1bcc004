@testable import Deployment

/// One pair of command lines for the differential: argv words without the program name.
struct LintVariant: Sendable {
    let id: String
    /// The family it belongs to (a rule family, or random).
    let family: String
    var primary: [String]
    var secondary: [String]
    /// The host started first when the variant fixes it; otherwise the one with more socket
    /// servers (ties: the primary).
    var first: HostRole?
    /// Why the variant is left out here: it needs something this machine lacks.
    var environment: String?
    /// Addresses (CIDR) the namespace's loopback needs for this variant, e.g. the patch mail's
    /// 3.3.3.3.
    var addresses: [String] = []
}

/// A command line as a list of options (`-name value`, or a lone word), edited the way the
/// variants need: by the id inside an option's value, and key by key.
struct OptionList: Sendable {
    struct Item: Sendable {
        var option: String
        var value: String?
    }

    var items: [Item]

    init(words: [String]) {
        var items: [Item] = []
        var index = 0
        while index < words.count {
            if words[index].hasPrefix("-"), index + 1 < words.count, !words[index + 1].hasPrefix("-") {
                items.append(Item(option: words[index], value: words[index + 1]))
                index += 2
            } else {
                items.append(Item(option: words[index], value: nil))
                index += 1
            }
        }
        self.items = items
    }

    var words: [String] {
        items.flatMap { item in [item.option] + (item.value.map { [$0] } ?? []) }
    }

    /// The item whose value has `id=<id>`.
    func index(of id: String) -> Int {
        guard let found = items.firstIndex(where: { ($0.value.map(OptionValue.elements) ?? []).contains("id=" + id) }) else {
            preconditionFailure("no option with id=\(id)")
        }
        return found
    }

    mutating func edit(_ id: String, _ change: (String) -> String) {
        let position = index(of: id)
        items[position].value = change(items[position].value ?? "")
    }

    mutating func set(_ id: String, _ key: String, _ value: String?) {
        edit(id) { OptionValue.set($0, key, value) }
    }

    mutating func remove(_ id: String) {
        items.remove(at: index(of: id))
    }

    mutating func append(_ option: String, _ value: String? = nil) {
        items.append(Item(option: option, value: value))
    }

    mutating func swap(_ first: String, _ second: String) {
        items.swapAt(index(of: first), index(of: second))
    }
}

/// QEMU's key=value lists, edited element by element (`,,` stays a literal comma).
enum OptionValue {
    static func elements(_ value: String) -> [String] {
        KeyValueList.elements(of: value)
    }

    static func join(_ elements: [String]) -> String {
        elements.map(KeyValueList.escape).joined(separator: ",")
    }

    /// Sets `key` (replacing its first element, or appending), or removes it for nil.
    static func set(_ value: String, _ key: String, _ new: String?) -> String {
        var elements = elements(value)
        if let position = elements.firstIndex(where: { $0.hasPrefix(key + "=") || $0 == key }) {
            if let new { elements[position] = key + "=" + new } else { elements.remove(at: position) }
        } else if let new {
            elements.append(key + "=" + new)
        }
        return join(elements)
    }

    static func renameKey(_ value: String, _ old: String, _ new: String) -> String {
        join(elements(value).map { $0.hasPrefix(old + "=") ? new + $0.dropFirst(old.count) : $0 })
    }

    /// The option value as QEMU's JSON form, every value a string.
    static func json(_ value: String, implied: String) -> String {
        let elements = elements(value)
        var members = ["\(quote(implied)):\(quote(elements.first ?? ""))"]
        for element in elements.dropFirst() where !element.isEmpty {
            let parts = element.split(separator: "=", maxSplits: 1).map(String.init)
            members.append("\(quote(parts[0])):\(quote(parts.count > 1 ? parts[1] : "on"))")
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    static func quote(_ text: String) -> String {
        "\"" + text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
    }
}
