import ArgumentParser
import Foundation
import QEMUBackend

/// `--backend emulated` (the default), `--backend qemu` (the QEMU on $PATH or $LOCKSTEP_QEMU)
/// or `--backend qemu=PATH` (any QEMU build).
enum BackendArgument: ExpressibleByArgument, Equatable {
    case emulated
    case qemu(path: String?)

    init?(argument: String) {
        if argument == "emulated" {
            self = .emulated
        } else if argument == "qemu" {
            self = .qemu(path: nil)
        } else if argument.hasPrefix("qemu="), argument.count > 5 {
            self = .qemu(path: String(argument.dropFirst(5)))
        } else {
            return nil
        }
    }

    static var defaultCompletionKind: CompletionKind { .list(["emulated", "qemu"]) }

    var isQEMU: Bool { if case .qemu = self { true } else { false } }

    /// The QEMU to run, checked; a missing or too old one ends the command with its one line.
    func qemuBinary() throws -> QEMUBinary {
        guard case .qemu(let path) = self else { throw ValidationError("not a QEMU backend") }
        do {
            return try QEMUBinary.resolve(path)
        } catch {
            FileHandle.standardError.write(Data(("lockstep: " + error.headline + "\n").utf8))
            throw ExitCode(2)
        }
    }
}
