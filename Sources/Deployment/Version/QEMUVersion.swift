/// The QEMU release whose command-line rules the importer, the lint and the exporter follow.
/// Option, key and type tables differ between releases (upstream dropped chardev `reconnect` in
/// 10.2, 7.2 has no `-run-with` ...), so a finding is only true of the version it names.
public enum QEMUVersion: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Debian 12's QEMU, the binary the differential tests run.
    case v7_2 = "7.2"
    /// The newest upstream release this project follows (10.2).
    case upstream

    public var description: String {
        switch self {
        case .v7_2: "QEMU 7.2"
        case .upstream: "upstream QEMU 10.2"
        }
    }

    /// The library default: the release the project's fixtures and differential tests use. The
    /// CLI instead asks the QEMU on PATH (see `QEMUVersionChoice`).
    public static let `default`: QEMUVersion = .v7_2

    /// The table nearest to a reported release: 7.x reads as 7.2; 8.0 and newer as upstream,
    /// whose tables are the nearest to them (a release between 8.0 and 10.1 may still accept a
    /// key upstream has dropped since).
    public static func nearest(to release: QEMURelease) -> QEMUVersion {
        release.major < 8 ? .v7_2 : .upstream
    }
}

/// A QEMU release number as `qemu-system-x86_64 --version` prints it.
public struct QEMURelease: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var micro: Int

    public init(major: Int, minor: Int, micro: Int = 0) {
        self.major = major
        self.minor = minor
        self.micro = micro
    }

    /// Reads the first line of `--version` output, e.g. `QEMU emulator version 7.2.22 (Debian
    /// 1:7.2+dfsg-7+deb12u18)`; nil when it names no version.
    public init?(versionOutput: String) {
        guard let found = versionOutput.firstRange(of: "version ") else { return nil }
        let number = versionOutput[found.upperBound...].prefix { $0.isNumber || $0 == "." }
        let parts = number.split(separator: ".").compactMap { Int($0) }
        guard parts.count >= 2 else { return nil }
        self.init(major: parts[0], minor: parts[1], micro: parts.count > 2 ? parts[2] : 0)
    }

    public static func < (lhs: QEMURelease, rhs: QEMURelease) -> Bool {
        (lhs.major, lhs.minor, lhs.micro) < (rhs.major, rhs.minor, rhs.micro)
    }

    public var description: String { "\(major).\(minor).\(micro)" }
}

/// Which version the lint assumed, and why: said in every report so a finding can be read
/// against the right QEMU.
public struct QEMUVersionChoice: Sendable, Hashable, CustomStringConvertible {
    public var version: QEMUVersion
    /// How the version was chosen, e.g. "qemu-system-x86_64 on PATH reports 7.2.22".
    public var reason: String

    public init(version: QEMUVersion, reason: String) {
        self.version = version
        self.reason = reason
    }

    /// Chosen with `--qemu-version`.
    public static func given(_ version: QEMUVersion) -> QEMUVersionChoice {
        QEMUVersionChoice(version: version, reason: "--qemu-version \(version.rawValue)")
    }

    /// From the output of `qemu-system-x86_64 --version` (nil when there is no such binary or it
    /// printed no version): upstream when nothing answers.
    public static func detected(versionOutput: String?, binary: String = "qemu-system-x86_64") -> QEMUVersionChoice {
        guard let versionOutput else {
            return QEMUVersionChoice(version: .upstream, reason: "no \(binary) on PATH")
        }
        guard let release = QEMURelease(versionOutput: versionOutput) else {
            return QEMUVersionChoice(version: .upstream, reason: "\(binary) on PATH printed no version")
        }
        let version = QEMUVersion.nearest(to: release)
        let exact = (version == .v7_2 && release.major == 7 && release.minor == 2)
            || (version == .upstream && release >= QEMURelease(major: 10, minor: 2))
        return QEMUVersionChoice(
            version: version,
            reason: "\(binary) on PATH reports \(release)" + (exact ? "" : ", nearest table")
        )
    }

    /// The library default, for callers that did not choose.
    public static let `default` = QEMUVersionChoice(version: .default, reason: "default")

    public var description: String { "\(version) (\(reason))" }
}
