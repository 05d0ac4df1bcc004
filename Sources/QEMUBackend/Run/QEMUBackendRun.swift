import Glibc
import Fabric
import COLORuntime

/// A COLO run whose network path is two real QEMU processes: `QEMUBackendRun(configuration,
/// qemu: binary).run()` returns the same `RunReport` an emulated `COLORun` does.
///
/// The client, the guests, the workload and the timeline are Lockstep's, driven by a real-time
/// loop (run time is wall-clock time since COLO started). QEMU runs the filters, colo-compare,
/// the rewriter and real COLO checkpoints. A QEMU that cannot start throws; one that crashes or
/// hangs during the run ends it with stop reason `backend_failed` and its stderr. Both QEMUs are
/// killed and reaped, and the run's private directory removed, however the run ends.
public struct QEMUBackendRun {
    public var configuration: COLORunConfiguration
    public var binary: QEMUBinary
    public var outputs = RunOutputs()
    public var limits = QEMURunLimits()
    /// Faults to play on the QEMUs (tests of the crash and hang verdicts).
    public var faults: [QEMUFault] = []
    /// Told both QEMUs' process ids once they run (tests check they are reaped).
    var onStarted: (([Int32]) -> Void)?

    public init(_ configuration: COLORunConfiguration, binary: QEMUBinary) {
        self.configuration = configuration
        self.binary = binary
    }

    public func run() throws(QEMUBackendError) -> RunReport {
        do {
            try configuration.validate()
        } catch {
            throw .unsupportedTopology(error.description)
        }
        let directory = try Self.makeDirectory()
        defer { Self.removeDirectory(directory) }
        return try BackendInterrupt.catching { () throws(QEMUBackendError) -> RunReport in
            let world = try RealWorld(configuration: configuration, binary: binary, limits: limits, directory: directory, outputs: outputs)
            defer { world.shutDown() }
            try world.start()
            onStarted?(world.children.compactMap { $0?.pid })
            world.schedule(faults)
            let stop = world.run()
            world.shutDown()
            if let problem = world.captures?.close() {
                throw .setup("cannot write the captures: \(problem)")
            }
            return world.report(stop: stop)
        }
    }

    /// A short private directory (unix socket paths are limited to 107 bytes).
    private static func makeDirectory() throws(QEMUBackendError) -> String {
        var template = Array("/tmp/lkqb.XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> UnsafeMutablePointer<CChar>? in
            guard let base = buffer.baseAddress else { return nil }
            return mkdtemp(base)
        }
        guard let made else { throw .setup("mkdtemp /tmp/lkqb.XXXXXX: \(String(cString: strerror(errno)))") }
        return String(cString: made)
    }

    private static func removeDirectory(_ directory: String) {
        if let handle = opendir(directory) {
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name != "." && name != ".." { unlink("\(directory)/\(name)") }
            }
            closedir(handle)
        }
        rmdir(directory)
    }
}
