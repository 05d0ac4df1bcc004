#if canImport(Glibc)
import Glibc
#endif

/// The fuzzing process as libFuzzer starts it: its environment, its command line, its messages.
public enum FuzzProcess {
    /// Call from each target's `LLVMFuzzerInitialize`, which libFuzzer runs once, before it
    /// installs its signal handlers and before the first input.
    ///
    /// Swift's crash backtracer (on by default) must be off under libFuzzer and ASan: its signal
    /// handlers stay in place, so a Swift trap runs the backtracer instead of libFuzzer's
    /// "deadly signal" path, ASan reports a bogus error in the backtracer's memory reader, and a
    /// `swift-backtrace` process is left behind holding stdout and stderr. The runtime reads
    /// `SWIFT_BACKTRACE` only at start-up, so the process re-executes itself once with it set,
    /// and with deterministic hashing so that any Set or Dictionary order is the same in every
    /// process that replays an input. This works where nobody sets the environment (OSS-Fuzz).
    public static func initialize(_ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) {
        if getenv("SWIFT_BACKTRACE") == nil || getenv("SWIFT_DETERMINISTIC_HASHING") == nil {
            setenv("SWIFT_BACKTRACE", "enable=no", 0)
            setenv("SWIFT_DETERMINISTIC_HASHING", "1", 0)
            if let arguments = argv.pointee {
                execv("/proc/self/exe", arguments)
            }
            // execv failed: carry on; crashes are still found, with the backtracer's noise.
            say("cannot re-execute without the Swift backtracer: \(String(cString: strerror(errno)))")
        }
        _ = started
    }

    /// When the process (after the re-exec) started: the base of the figures targets print.
    public static let started = ContinuousClock.now

    /// Seconds since ``started``.
    public static var elapsedSeconds: Double {
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// The value of `--NAME=VALUE` on the command line. libFuzzer ignores arguments that start
    /// with two dashes, so a target reads its own options this way.
    public static func option(_ name: String) -> String? {
        let prefix = "--\(name)="
        return CommandLine.arguments.dropFirst().last { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }

    /// Whether `--NAME` is on the command line.
    public static func flag(_ name: String) -> Bool {
        CommandLine.arguments.dropFirst().contains("--\(name)")
    }

    /// The executable's file name as it was started (a copy or link may carry a suffix).
    public static var programName: String {
        String(CommandLine.arguments.first?.split(separator: "/").last ?? "")
    }

    /// libFuzzer's `-artifact_prefix=` (default `./`): crash files are this prefix plus
    /// `crash-<sha1 of the input>`.
    public static var artifactPrefix: String {
        let prefix = "-artifact_prefix="
        return CommandLine.arguments.dropFirst().last { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) } ?? "./"
    }

    /// One line on standard error, written at once (no buffer a trap could lose; Swift 6 does
    /// not allow the C `stderr` global).
    public static func say(_ message: String) {
        let line = message.hasSuffix("\n") ? message : message + "\n"
        var bytes = Array(line.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Says why the target cannot run (a bad option, a missing scenario) and exits with status 2,
    /// which is not a finding.
    public static func refuse(_ message: String) -> Never {
        say(message)
        exit(2)
    }
}
