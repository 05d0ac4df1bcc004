import Deployment
import FuzzSupport

/// The QEMU command-line importer and the COLO lint over arbitrary text. The input is both hosts'
/// command lines as `lockstep qemu-args` writes them: the primary's, then a line starting with
/// `# secondary` and the secondary's (no such line: the secondary's is empty). Each host is
/// imported, both are linted, and a host read without a lossy finding must export to a command
/// line that reads back to the same configuration.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    FuzzProcess.initialize(argv)
    return 0
}

/// Findings that mean a written value was dropped or misread, so no round trip is expected.
let lossyRules: Set<LintRule> = [.unknownOption, .unknownParameter, .strayArgument, .invalidValue, .duplicateID]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQEMUArgs(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: fuzzInputBytes(data, size), as: UTF8.self)
    let separator = text.firstRange(of: "\n# secondary")
    let primaryText = String(text[..<(separator?.lowerBound ?? text.endIndex)])
    let secondaryText = separator.map { String(text[$0.lowerBound...]) } ?? ""
    guard let primary = try? QEMUArgsImporter.importHost(primaryText, role: .primary),
          let secondary = try? QEMUArgsImporter.importHost(secondaryText, role: .secondary) else { return 0 }
    _ = QEMUArgsLinter.lint(primary: primary, secondary: secondary).text()
    for host in [primary, secondary] where !host.findings.contains(where: { lossyRules.contains($0.rule) }) {
        let exported = QEMUArgsExporter.commandLine(for: host.configuration)
        let reread = try? QEMUArgsImporter.importHost(exported, role: host.role)
        fuzzCheck(reread?.configuration == host.configuration, "\(host.role) does not read back from its export:\n\(exported)")
    }
    return 0
}
