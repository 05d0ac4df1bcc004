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

/// What a figure shows: a topology and the lint findings pinned to its components.
public struct FigureSubject: Sendable, Hashable {
    public var title: String
    public var topology: Topology
    public var notes: [FigureNote]

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
        self.topology = topology
        notes = findings.enumerated().map { offset, finding in
            let source = imports.first { $0.role == finding.host }
            return FigureNote(
                number: offset + 1,
                finding: finding,
                component: source.map { Self.component(of: finding, in: $0) }
            )
        }
    }

    /// Exported arguments are already well-formed words; splitting cannot fail on them, but a
    /// failure is still handled rather than trapped.
    private static func words(_ text: String) -> [ShellWord] {
        (try? ShellWords.split(text)) ?? []
    }

    /// The component created by the argument a finding names; the host when the argument
    /// created nothing drawable (a stray word, an unknown option, a duplicate that was dropped).
    static func component(of finding: LintFinding, in source: HostImport) -> ComponentID {
        let role = source.role
        guard let index = finding.argument?.index else { return .host(role) }
        let host = source.configuration
        if let netdev = host.netdevs.first(where: { source.sources.netdev($0.id)?.index == index }) {
            return .netdev(role, id: netdev.id)
        }
        if let nic = host.nics.indices.first(where: { source.sources.nic(at: $0)?.index == index }) {
            return .nic(role, index: nic)
        }
        if let chardev = host.chardevs.first(where: { source.sources.chardev($0.id)?.index == index }) {
            return .chardev(role, id: chardev.id)
        }
        if let object = host.objects.first(where: { source.sources.object($0.id)?.index == index }) {
            switch object {
            case .filter(let filter): return .filter(role, id: filter.id)
            case .coloCompare(let compare): return .compare(role, id: compare.id)
            case .iothread(let thread):
                if let compare = host.compares.first(where: { $0.iothread == thread.id }) {
                    return .compare(role, id: compare.id)
                }
                return .host(role)
            case .other: return .host(role)
            }
        }
        return .host(role)
    }
}
