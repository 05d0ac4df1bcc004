import Glibc
import Fabric
import Deployment

/// A fault Lockstep plays on one of its own QEMUs during a run, to check that the run ends
/// with QEMU's verdict and never hangs: a crash (SIGSEGV: QEMU dies as from a bug) or a hang
/// (SIGSTOP: QEMU stops answering anything). Unlike a scenario's host loss, the run is not told.
public struct QEMUFault: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case crash
        case hang
    }

    public var kind: Kind
    public var host: HostRole
    /// Run time at which it strikes.
    public var at: VirtualDuration

    public init(_ kind: Kind, host: HostRole, at: VirtualDuration) {
        self.kind = kind
        self.host = host
        self.at = at
    }

    var signal: Int32 { kind == .crash ? SIGSEGV : SIGSTOP }
}
