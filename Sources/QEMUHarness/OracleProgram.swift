/// The program an oracle starts with QEMU's arguments: QEMU itself, or a stand-in that accepts
/// the same command line (`lockstep serve`), which `leadingArguments` select.
public struct OracleProgram: Sendable, Hashable, CustomStringConvertible {
    public var executable: String
    /// Words between the program and QEMU's arguments (a subcommand and its own options).
    public var leadingArguments: [String]

    public init(executable: String, leadingArguments: [String] = []) {
        self.executable = executable
        self.leadingArguments = leadingArguments
    }

    /// The installed QEMU (see `QEMULocator`).
    public static func qemu() throws(OracleError) -> OracleProgram {
        OracleProgram(executable: try QEMULocator.require())
    }

    public var description: String {
        ([executable] + leadingArguments).joined(separator: " ")
    }
}
