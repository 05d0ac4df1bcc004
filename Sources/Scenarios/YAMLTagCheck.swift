import Yams

/// Refuses explicit YAML tags a scenario cannot mean (`!!binary 1s`, `!custom x`, `!!set`):
/// the reader would otherwise take the text beside the tag and ignore the tag, silently.
/// Tags of the core schema (`!!str`, `!!int`, ...) and those Yams resolves plain scalars to
/// (`!!timestamp`, `!!value`) are harmless and allowed; a merge key (`<<`) is refused too.
enum YAMLTagCheck {
    static let allowed: Set<String> = [
        Tag.Name.implicit, .nonSpecific, .str, .int, .float, .bool, .null, .seq, .map, .timestamp, .value,
    ].reduce(into: []) { $0.insert($1.rawValue) }

    /// The first node (depth first, in file order) with a tag outside the core schema.
    static func firstUnsupportedTag(_ root: Node) -> (node: Node, tag: String)? {
        var pending = [root]
        while let node = pending.popLast() {
            let tag: Tag
            switch node {
            case .scalar(let scalar):
                tag = scalar.tag
            case .sequence(let sequence):
                tag = sequence.tag
                pending.append(contentsOf: sequence.reversed())
            case .mapping(let mapping):
                tag = mapping.tag
                for (key, value) in mapping.reversed() {
                    pending.append(value)
                    pending.append(key)
                }
            }
            if !allowed.contains(tag.description) { return (node, shown(tag.description)) }
        }
        return nil
    }

    /// `!!binary` for the core schema's long names, the tag as written otherwise.
    private static func shown(_ name: String) -> String {
        let core = "tag:yaml.org,2002:"
        return name.hasPrefix(core) ? "!!" + name.dropFirst(core.count) : name
    }
}
