import Glibc
import Testing
import Fabric
import QEMUHarness

/// The harness's own guarantees: clear errors, QEMU's stderr in reports, no leftovers.
@Suite("QEMU oracle robustness")
struct QEMUOracleRobustnessTests {
    @Test("a missing QEMU is reported, and fails instead of skipping when CI is set")
    func missingQEMUPolicy() {
        #expect(QEMULocator.find(override: "/nonexistent/qemu", searchPath: "/usr/bin") == nil)
        #expect(QEMULocator.find(override: nil, searchPath: "/nonexistent-a:/nonexistent-b") == nil)
        #expect(QEMULocator.oracleTestsEnabled(continuousIntegration: true, qemuFound: false))
        #expect(!QEMULocator.oracleTestsEnabled(continuousIntegration: false, qemuFound: false))
        #expect(QEMULocator.oracleTestsEnabled(continuousIntegration: false, qemuFound: true))
        #expect(OracleError.qemuMissing(searched: "PATH").description.contains("qemu-system-x86"))
    }

    @Test("unix socket paths beyond sun_path are refused before QEMU starts")
    func socketPathLimit() {
        let directory = "/tmp/" + String(repeating: "d", count: 100)
        #expect(throws: OracleError.self) { try CompareOracle.arguments(.init(), directory: directory) }
        #expect(throws: OracleError.self) {
            try RewriterOracle.arguments(directory: directory, wirePort: 1, localPort: 2)
        }
    }

    @Test(
        "C-1 (7.2 differs): compare_timeout=0 aborts QEMU in finalize; the error carries its stderr",
        .enabled(if: QEMULocator.oracleTestsEnabled, Comment(rawValue: QEMULocator.skipMessage))
    )
    func configurationErrorCarriesStderr() throws {
        do {
            let oracle = try CompareOracle(.init(compareTimeoutMilliseconds: 0, stepTimeout: .seconds(5)))
            oracle.shutdown()
            Issue.record("QEMU accepted compare_timeout=0")
        } catch {
            guard case .qemuExited(let status, _, let stderr) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            // 7.2 never prints the "positive value" error: tearing down the half-made object
            // destroys a mutex that only a completed compare initialises, and QEMU aborts.
            #expect(status == "signal 6")
            #expect(stderr.contains("qemu_mutex_destroy"))
        }
    }

    @Test(
        "shutdown kills QEMU and removes the socket directory",
        .enabled(if: QEMULocator.oracleTestsEnabled, Comment(rawValue: QEMULocator.skipMessage))
    )
    func shutdownLeavesNothing() throws {
        let compare = try CompareOracle()
        let rewriter = try RewriterOracle()
        #expect(compare.isQEMURunning && rewriter.isQEMURunning)
        compare.shutdown()
        rewriter.shutdown()
        #expect(!compare.isQEMURunning && !rewriter.isQEMURunning)
        #expect(access(compare.temporaryDirectory, F_OK) != 0)
        #expect(access(rewriter.temporaryDirectory, F_OK) != 0)
        #expect(compare.commandLine.contains("colo-compare,id=comp0"))
    }
}
