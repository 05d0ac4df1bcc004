import COLORuntime

/// A scenario file read into a run configuration plus what its run must show.
public struct Scenario: Sendable, Hashable {
    /// `name:` or the file name without extension.
    public var name: String
    public var file: String
    /// `description:`, one line.
    public var summary: String?
    public var configuration: COLORunConfiguration
    /// Run twice and compare trace hashes (`check_determinism: true`).
    public var checksDeterminism = false
    public var expectations: [Expectation]
    /// Where a run on real QEMU is known to part from the emulated one (`real_qemu:`).
    public var realQEMU: RealQEMUNote?

    public init(name: String, file: String, summary: String? = nil, configuration: COLORunConfiguration,
                checksDeterminism: Bool = false, expectations: [Expectation]) {
        self.name = name
        self.file = file
        self.summary = summary
        self.configuration = configuration
        self.checksDeterminism = checksDeterminism
        self.expectations = expectations
    }
}
