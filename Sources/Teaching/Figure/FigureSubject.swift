import Deployment

/// A lint finding pinned to the component it concerns; the figure draws its marker there and
/// lists it under "Lint findings".
public struct FigureNote: Sendable, Hashable {
    /// 1-based, in the lint's order (primary first, then by argument).
    public var number: Int
    public var finding: LintFinding
    /// Where the marker goes; nil when the finding names no host.
    public var component: ComponentID?

    /// `!3` for errors and warnings, `i3` for information.
    public var marker: String {
        (finding.severity == .info ? "i" : "!") + "\(number)"
    }
}

/// What a figure shows: a topology and the lint findings pinned to its components. A topology
/// too big to draw is bounded (`FigureBounds`): what is left out is listed in `omitted`.
public struct FigureSubject: Sendable, Hashable {
    public var title: String
    /// What is drawn: the whole topology, or its first parts when it is too big.
    public var topology: Topology
    public var notes: [FigureNote]
    /// What the figure does not draw or list, one line each (empty for a topology that fits).
    public var omitted: [String] = []

    /// A topology that did not come from command lines: it is exported to command lines and
    /// linted as text, so every finding can still be pinned to the argument's component.
    public init(topology: Topology, title: String, options: LintOptions = LintOptions()) {
        let version = options.version
        let primary = QEMUArgsExporter.arguments(for: topology.primary, version: version).joined(separator: "\n")
        let secondary = QEMUArgsExporter.arguments(for: topology.secondary, version: version).joined(separator: "\n")
        let imports = (
            QEMUArgsImporter.importHost(words: Self.words(primary), role: .primary, version: version),
            QEMUArgsImporter.importHost(words: Self.words(secondary), role: .secondary, version: version)
        )
        let report = QEMUArgsLinter.lint(primary: imports.0, secondary: imports.1, options: options)
        self.init(title: title, topology: topology, findings: report.findings, imports: [imports.0, imports.1])
    }

    /// Two QEMU command lines as text (the format `lockstep lint` reads). Only text that cannot
    /// be split into words throws; everything else QEMU would refuse becomes a finding.
    public static func commandLines(
        primary: String,
        secondary: String,
        title: String,
        options: LintOptions = LintOptions()
    ) throws(QEMUArgsError) -> FigureSubject {
        let primaryImport = try QEMUArgsImporter.importHost(primary, role: .primary, version: options.version)
        let secondaryImport = try QEMUArgsImporter.importHost(secondary, role: .secondary, version: options.version)
        let report = QEMUArgsLinter.lint(primary: primaryImport, secondary: secondaryImport, options: options)
        return FigureSubject(title: title, topology: report.topology, findings: report.findings, imports: [primaryImport, secondaryImport])
    }

    /// The documented topology (spec §10).
    public static var reference: FigureSubject {
        FigureSubject(topology: .reference, title: "reference topology (spec §10)")
    }

    /// The notes whose marker is drawn on `component`.
    public func notes(on component: ComponentID) -> [FigureNote] {
        notes.filter { $0.component == component }
    }

    private init(title: String, topology: Topology, findings: [LintFinding], imports: [HostImport]) {
        self.title = title
        let bounds = FigureBounds(topology)
        self.topology = bounds.topology
        let componentsByArgument = Dictionary(uniqueKeysWithValues: imports.map { ($0.role, Self.components(of: $0)) })
        notes = findings.prefix(FigureBounds.notes).enumerated().map { offset, finding in
            let component: ComponentID? = finding.host.map { role in
                let full = finding.argument.flatMap { componentsByArgument[role]?[$0.index] } ?? .host(role)
                return bounds.drawn(full)
            }
            return FigureNote(number: offset + 1, finding: finding, component: component)
        }
        omitted = bounds.omitted
        if findings.count > FigureBounds.notes {
            omitted.append("\(findings.count - FigureBounds.notes) more lint findings not listed (lockstep lint lists them all)")
        }
    }

    /// Exported arguments are already well-formed words; splitting cannot fail on them, but a
    /// failure is still handled rather than trapped.
    private static func words(_ text: String) -> [ShellWord] {
        (try? ShellWords.split(text)) ?? []
    }

    /// The component each argument of a command line created, by argument index; an argument
    /// that created nothing drawable (a stray word, an unknown option, a duplicate that was
    /// dropped) has none and its findings go to the host.
    static func components(of source: HostImport) -> [Int: ComponentID] {
        let role = source.role
        let host = source.configuration
        var components: [Int: ComponentID] = [:]
        func note(_ index: Int?, _ component: ComponentID) {
            if let index, components[index] == nil { components[index] = component }
        }
        for netdev in host.netdevs { note(source.sources.netdev(netdev.id)?.index, .netdev(role, id: netdev.id)) }
        for index in host.nics.indices { note(source.sources.nic(at: index)?.index, .nic(role, index: index)) }
        for chardev in host.chardevs { note(source.sources.chardev(chardev.id)?.index, .chardev(role, id: chardev.id)) }
        let compareOfThread = Dictionary(host.compares.compactMap { compare in compare.iothread.map { ($0, compare.id) } },
                                         uniquingKeysWith: { first, _ in first })
        for object in host.objects {
            let index = source.sources.object(object.id)?.index
            switch object {
            case .filter(let filter): note(index, .filter(role, id: filter.id))
            case .coloCompare(let compare): note(index, .compare(role, id: compare.id))
            case .iothread(let thread): note(index, compareOfThread[thread.id].map { .compare(role, id: $0) } ?? .host(role))
            case .other: note(index, .host(role))
            }
        }
        return components
    }
}
