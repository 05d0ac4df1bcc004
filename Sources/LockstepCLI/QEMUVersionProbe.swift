import Deployment
import Foundation

/// Chooses the QEMU version a command asks about: the one given with `--qemu-version`, else the
/// one `qemu-system-x86_64 --version` on PATH reports, else upstream.
enum QEMUVersionProbe {
    static func choice(given: QEMUVersion?) -> QEMUVersionChoice {
        if let given { return .given(given) }
        return .detected(versionOutput: versionOutput())
    }

    /// The first line `qemu-system-x86_64 --version` prints, or nil when there is no such
    /// binary on PATH or it does not answer within two seconds.
    private static func versionOutput() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        guard let binary = path.split(separator: ":").map({ "\($0)/\(QEMUArgsExporter.programName)" })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--version"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        let deadline = Date().addingTimeInterval(2)
        while process.isRunning, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            return nil
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        return String(decoding: data.prefix(4096), as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init)
    }
}
