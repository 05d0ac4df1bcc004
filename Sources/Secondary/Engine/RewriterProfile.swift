import Fabric

/// Which QEMU quirks the rewriter reproduces (`RewriterQuirk`): every one for QEMU, none for
/// the corrected behaviour.
///
/// `upstream` (the default) reproduces every quirk; `qemu-7.2` is an alias of it (no behavioural
/// change to filter-rewriter or the TCP part of the checksum code was found between the 7.2 era
/// and upstream, see docs/rewriter.md); `fixed` corrects every quirk.
public struct RewriterProfile: Sendable, Hashable {
    public var name: String
    public var quirks: QuirkSet<RewriterQuirk>

    public init(name: String, quirks: QuirkSet<RewriterQuirk> = .all) {
        self.name = name
        self.quirks = quirks
    }

    /// QEMU master as specified: every quirk reproduced.
    public static let upstream = RewriterProfile(name: "upstream")

    /// Debian bookworm's QEMU 7.2. Behaviourally identical to `upstream` for the rewriter.
    public static let qemu72 = RewriterProfile(name: "qemu-7.2")

    /// Corrected behaviour: every quirk switched off.
    public static let fixed = RewriterProfile(name: "fixed", quirks: .none)

    public static let all: [RewriterProfile] = [.upstream, .qemu72, .fixed]

    /// The profile with this name (`upstream`, `qemu-7.2`, `fixed`), or nil.
    public static func named(_ name: String) -> RewriterProfile? {
        all.first { $0.name == name }
    }
}
