import Fabric

/// How the standalone colo-compare is configured. Defaults make the wall-clock timeout
/// (C-19) unreachable so that results depend on input order only.
public struct CompareOracleConfiguration: Sendable, Hashable {
    public var compareTimeoutMilliseconds: UInt32
    public var expiredScanCycleMilliseconds: UInt32
    /// nil leaves QEMU's default (1024, C-6).
    public var maxQueueSize: UInt32?
    public var vnetHeaderSupport: Bool
    /// Bound on every wait of the step protocol.
    public var stepTimeout: Duration

    public init(
        compareTimeoutMilliseconds: UInt32 = 3_600_000,
        expiredScanCycleMilliseconds: UInt32 = 1_000,
        maxQueueSize: UInt32? = nil,
        vnetHeaderSupport: Bool = false,
        stepTimeout: Duration = .seconds(10)
    ) {
        self.compareTimeoutMilliseconds = compareTimeoutMilliseconds
        self.expiredScanCycleMilliseconds = expiredScanCycleMilliseconds
        self.maxQueueSize = maxQueueSize
        self.vnetHeaderSupport = vnetHeaderSupport
        self.stepTimeout = stepTimeout
    }
}

/// What QEMU emitted in reaction to one input step.
public struct CompareStepOutput: Sendable, Hashable {
    /// Records written to outdev, in order (forwarded, released and flushed primary frames).
    public var released: [Frame]
    /// `DO_CHECKPOINT` messages on notify_dev (C-18, C-27).
    public var checkpointRequests: Int
    /// Any other notify_dev message, e.g. the reply to `COLO_USERSPACE_PROXY_INIT` (C-26).
    public var otherNotifications: [[UInt8]]

    public init(released: [Frame] = [], checkpointRequests: Int = 0, otherNotifications: [[UInt8]] = []) {
        self.released = released
        self.checkpointRequests = checkpointRequests
        self.otherNotifications = otherNotifications
    }
}

/// QEMU 7.2's colo-compare running with no VM (`-M none`), driven over four unix-socket
/// chardevs, one step at a time.
///
/// Step protocol: after every input the oracle makes sure QEMU has fully processed it, then
/// returns exactly what QEMU emitted in response.
/// - primary input: followed on primary_in by a barrier marker (never parseable, so forwarded
///   at once, C-3); records before the marker on outdev belong to the step.
/// - secondary / notify input: first wait until QEMU has read every byte of it (SIOCOUTQ = 0);
///   all three inputs are served by the compare's single iothread, and the read callback
///   processes complete records before returning, so a marker sent on primary_in afterwards
///   is handled strictly later.
/// notify_dev messages are written by QEMU before it reads the marker, so they are already in
/// our socket buffer when the marker comes out.
public final class CompareOracle {
    public let configuration: CompareOracleConfiguration
    private let session: QEMUSession
    private let primary: UnixStream
    private let secondary: UnixStream
    private let notify: UnixStream
    private let output: QEMUSession.Capture
    private let notifications: QEMUSession.Capture
    private var marker = BarrierMarker()

    /// The full QEMU command line, for reports.
    public var commandLine: String { session.process.commandLine }
    /// Whether the QEMU process is alive (false after `shutdown()`).
    public var isQEMURunning: Bool { session.process.isRunning }
    /// The private directory holding the chardev sockets (removed by `shutdown()`).
    public var temporaryDirectory: String { session.directory }
    /// QEMU's stderr so far.
    public var qemuStderr: String { session.process.stderrText() }

    public convenience init(_ configuration: CompareOracleConfiguration = .init(), qemu: String? = nil) throws(OracleError) {
        let program = if let qemu { OracleProgram(executable: qemu) } else { try OracleProgram.qemu() }
        try self.init(configuration, program: program)
    }

    /// The same step protocol against another program that takes QEMU's arguments, e.g.
    /// `lockstep serve`: it must serve the chardevs and the QMP socket QEMU would.
    public init(_ configuration: CompareOracleConfiguration = .init(), program: OracleProgram) throws(OracleError) {
        self.configuration = configuration
        let session = try QEMUSession.launch(
            executable: program.executable, leadingArguments: program.leadingArguments, timeout: configuration.stepTimeout
        ) { directory throws(OracleError) in
            try Self.arguments(configuration, directory: directory)
        }
        self.session = session
        let vnet = configuration.vnetHeaderSupport
        primary = try session.connect(path: "\(session.directory)/pri.sock", label: "primary_in")
        secondary = try session.connect(path: "\(session.directory)/sec.sock", label: "secondary_in")
        notify = try session.connect(path: "\(session.directory)/nfy.sock", label: "notify_dev (in)")
        output = try session.addCapture(path: "\(session.directory)/out.sock", label: "outdev", withVnetField: vnet)
        // Outbound notify messages never carry V (W-4); they share the socket with our input.
        notifications = QEMUSession.Capture(stream: notify, withVnetField: false)
        try session.registerCapture(notifications)
        try session.waitForChardevsConnected()
    }

    deinit { session.shutdown() }

    /// Kills QEMU and removes the temporary directory. Idempotent; also done on deinit.
    public func shutdown() { session.shutdown() }

    /// QEMU arguments for the configuration; chardev sockets live in `directory`.
    public static func arguments(_ configuration: CompareOracleConfiguration, directory: String) throws(OracleError) -> [String] {
        var arguments = [
            "-M", "none", "-nodefaults", "-display", "none", "-monitor", "none", "-serial", "none",
            "-object", "iothread,id=iot0",
        ]
        for (id, file) in [("pri", "pri"), ("sec", "sec"), ("out", "out"), ("nfy", "nfy")] {
            let path = "\(directory)/\(file).sock"
            try UnixStream.checkPathLength(path)
            arguments += ["-chardev", "socket,id=\(id),path=\(path),server=on,wait=off"]
        }
        var compare = "colo-compare,id=comp0,primary_in=pri,secondary_in=sec,outdev=out,iothread=iot0,notify_dev=nfy"
        compare += ",compare_timeout=\(configuration.compareTimeoutMilliseconds)"
        compare += ",expired_scan_cycle=\(configuration.expiredScanCycleMilliseconds)"
        if let size = configuration.maxQueueSize { compare += ",max_queue_size=\(size)" }
        if configuration.vnetHeaderSupport { compare += ",vnet_hdr_support=on" }
        return arguments + ["-object", compare]
    }

    public func sendPrimary(_ frame: Frame) throws(OracleError) -> CompareStepOutput {
        try BarrierMarker.checkNotReserved(frame, input: "primary frame")
        try session.writeRecord(frame, withVnetField: configuration.vnetHeaderSupport, to: primary, purpose: "sending a primary frame")
        return try barrier()
    }

    public func sendSecondary(_ frame: Frame) throws(OracleError) -> CompareStepOutput {
        try session.writeRecord(frame, withVnetField: configuration.vnetHeaderSupport, to: secondary, purpose: "sending a secondary frame")
        try session.waitUntilConsumed(secondary)
        return try barrier()
    }

    /// `COLO_CHECKPOINT` on notify_dev: flush every connection (C-26, C-20).
    public func checkpoint() throws(OracleError) -> CompareStepOutput {
        try sendNotify(Array("COLO_CHECKPOINT".utf8))
    }

    /// Any message on notify_dev (framed with V iff vnet_hdr_support, C-1.6).
    public func sendNotify(_ message: [UInt8]) throws(OracleError) -> CompareStepOutput {
        try session.writeRecord(Frame(message), withVnetField: configuration.vnetHeaderSupport, to: notify, purpose: "sending a notify message")
        try session.waitUntilConsumed(notify)
        return try barrier()
    }

    /// Lets real time pass (for timeout tests only: the result depends on the host clock).
    public func idle(milliseconds: Int) throws(OracleError) -> CompareStepOutput {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: .milliseconds(milliseconds))
        while clock.now < end { try session.pump(maximumWaitMicroseconds: 1_000) }
        return try barrier()
    }

    private func barrier() throws(OracleError) -> CompareStepOutput {
        let frame = marker.next()
        try session.writeRecord(frame, withVnetField: configuration.vnetHeaderSupport, to: primary, purpose: "sending a barrier marker")
        try session.waitUntil("barrier marker \(marker.issued) on outdev") { () throws(OracleError) -> Bool in
            output.received.contains(frame)
        }
        try session.drainAll()
        let received = output.take()
        // QEMU writes only in reaction to input and nothing was sent after the marker, so the
        // marker must be the last record; anything else means the protocol lost track.
        guard let markerIndex = received.firstIndex(of: frame), markerIndex == received.count - 1 else {
            throw .malformedOutput(
                channel: "outdev", detail: "barrier marker \(marker.issued) is not the last of \(received.count) record(s)",
                stderr: qemuStderr)
        }
        var step = CompareStepOutput(released: Array(received[..<markerIndex]))
        for message in notifications.take() {
            if message.bytes == Array("DO_CHECKPOINT".utf8) {
                step.checkpointRequests += 1
            } else {
                step.otherNotifications.append(message.bytes)
            }
        }
        return step
    }
}

/// Runs `body` with a fresh compare oracle and always kills QEMU afterwards.
public func withCompareOracle<Result>(
    _ configuration: CompareOracleConfiguration = .init(),
    _ body: (CompareOracle) throws -> Result
) throws -> Result {
    let oracle = try CompareOracle(configuration)
    defer { oracle.shutdown() }
    return try body(oracle)
}
