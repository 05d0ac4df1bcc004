import Fabric
@testable import Deployment

/// The variants of the differential: single edits of the reference command lines (what
/// `lockstep qemu-args --qemu-version 7.2` prints) aimed at every rule family, plus seeded random
/// edits. Each family lives in its own extension; `all` puts them together.
struct LintVariantCatalog {
    let reference = (
        primary: OptionList(words: QEMUArgsExporter.argv(for: Topology.reference.primary, version: .v7_2)),
        secondary: OptionList(words: QEMUArgsExporter.argv(for: Topology.reference.secondary, version: .v7_2))
    )
    private(set) var variants: [LintVariant] = []
    private var ids: Set<String> = []

    static func all(randomSeed: UInt64, randomCount: Int) -> [LintVariant] {
        var catalog = LintVariantCatalog()
        catalog.add("reference", "reference")
        catalog.add("reference", "reference, secondary started first", first: .secondary)
        catalog.addOptionFamilies()
        catalog.addTypeFamilies()
        catalog.addJSONFamily()
        catalog.addValueFamilies()
        catalog.addReferenceFamilies()
        catalog.addSyntaxFamily()
        catalog.addPairingFamilies()
        catalog.addDesignFamilies()
        catalog.addHostileFamily()
        catalog.addSeedFamily()
        catalog.addRandomFamily(seed: randomSeed, count: randomCount)
        return catalog.variants
    }

    // MARK: Building

    mutating func add(
        _ family: String, _ name: String,
        primary: OptionList? = nil, secondary: OptionList? = nil,
        first: HostRole? = nil, environment: String? = nil, addresses: [String] = []
    ) {
        var id = "\(family): \(name)"
        var suffix = 2
        while ids.contains(id) {
            id = "\(family): \(name) #\(suffix)"
            suffix += 1
        }
        ids.insert(id)
        variants.append(LintVariant(
            id: id, family: family,
            primary: (primary ?? reference.primary).words,
            secondary: (secondary ?? reference.secondary).words,
            first: first, environment: environment, addresses: addresses
        ))
    }

    /// A variant made by editing one host's reference line.
    mutating func edit(_ family: String, _ name: String, _ host: HostRole, first: HostRole? = nil, environment: String? = nil, _ change: (inout OptionList) -> Void) {
        var list = host == .primary ? reference.primary : reference.secondary
        change(&list)
        if host == .primary {
            add(family, name, primary: list, first: first, environment: environment)
        } else {
            add(family, name, secondary: list, first: first, environment: environment)
        }
    }

    /// A variant made by editing both hosts' reference lines.
    mutating func editBoth(_ family: String, _ name: String, first: HostRole? = nil, _ change: (inout OptionList, inout OptionList) -> Void) {
        var primary = reference.primary
        var secondary = reference.secondary
        change(&primary, &secondary)
        add(family, name, primary: primary, secondary: secondary, first: first)
    }

    /// Sets (or, with nil, removes) one key of the option with `id`.
    mutating func setKey(_ family: String, _ host: HostRole, _ id: String, _ key: String, _ value: String?, name: String? = nil) {
        edit(family, name ?? "\(host == .primary ? "P" : "S") \(id) \(key)=\(value ?? "(none)")", host) { $0.set(id, key, value) }
    }

    /// Appends options to one host's reference line.
    mutating func append(_ family: String, _ name: String, _ host: HostRole, environment: String? = nil, _ options: [(String, String?)]) {
        edit(family, name, host, environment: environment) { list in
            for (option, value) in options { list.append(option, value) }
        }
    }
}
