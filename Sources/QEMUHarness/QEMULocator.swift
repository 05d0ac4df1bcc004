import Glibc

/// Finds the QEMU binary and decides what a missing QEMU means for a test run.
public enum QEMULocator {
    public static let binaryName = "qemu-system-x86_64"
    /// Environment variable naming an explicit QEMU binary (absolute path).
    public static let overrideVariable = "LOCKSTEP_QEMU"

    /// The QEMU binary to run, or nil when none is installed.
    public static func find() -> String? {
        find(override: environment(overrideVariable), searchPath: environment("PATH"))
    }

    /// `override` (an explicit binary) wins; otherwise the first executable
    /// `qemu-system-x86_64` along `searchPath` (colon-separated).
    public static func find(override: String?, searchPath: String?) -> String? {
        if let override, !override.isEmpty {
            return access(override, X_OK) == 0 ? override : nil
        }
        for directory in (searchPath ?? "/usr/bin:/bin").split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(binaryName)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    public static func require() throws(OracleError) -> String {
        guard let found = find() else {
            throw .qemuMissing(searched: "$\(overrideVariable) or \(binaryName) on $PATH")
        }
        return found
    }

    /// True when the CI variable is set: there a missing QEMU must fail the oracle tests.
    public static var isContinuousIntegration: Bool {
        guard let value = environment("CI") else { return false }
        return !value.isEmpty
    }

    /// Whether oracle tests should run at all: always in CI (so that a missing QEMU fails
    /// them loudly), locally only when QEMU is installed.
    public static var oracleTestsEnabled: Bool {
        oracleTestsEnabled(continuousIntegration: isContinuousIntegration, qemuFound: find() != nil)
    }

    public static func oracleTestsEnabled(continuousIntegration: Bool, qemuFound: Bool) -> Bool {
        continuousIntegration || qemuFound
    }

    /// The reason shown when oracle tests are skipped locally.
    public static let skipMessage =
        "\(binaryName) not installed: QEMU oracle tests skipped (they fail instead when CI is set)"

    public static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }
}
