import Fabric

/// How the standalone filter-rewriter oracle is set up.
public struct RewriterOracleConfiguration: Sendable, Hashable {
    /// Bound on every wait of the step protocol.
    public var stepTimeout: Duration

    public init(stepTimeout: Duration = .seconds(10)) {
        self.stepTimeout = stepTimeout
    }
}

/// What QEMU emitted in reaction to one rewriter step.
public struct RewriterStepOutput: Sendable, Hashable {
    /// Frames that reached the "guest" side (netdev → NIC direction), in order.
    public var toGuest: [Frame]
    /// Frames that reached the netdev side (NIC → netdev direction), in order.
    public var fromGuest: [Frame]
    /// Frames the socket netdev actually put on the UDP "wire" (none expected: the
    /// from-guest capture steals everything first).
    public var wire: [[UInt8]]

    public init(toGuest: [Frame] = [], fromGuest: [Frame] = [], wire: [[UInt8]] = []) {
        self.toGuest = toGuest
        self.fromGuest = fromGuest
        self.wire = wire
    }
}

/// QEMU 7.2's filter-rewriter with no VM: a UDP socket netdev `hn0` whose peer is a hub port
/// standing in for the NIC, and five filters on hn0 in this order:
///
/// 1. redirector queue=tx, indev  — injects frames as if sent by the netdev (to the guest);
/// 2. redirector queue=rx, outdev — captures frames heading to the netdev (from the guest);
/// 3. filter-rewriter queue=all;
/// 4. redirector queue=tx, outdev — captures frames heading to the guest;
/// 5. redirector queue=rx, indev  — injects frames as if sent by the NIC (from the guest).
///
/// Injection continues the walk from the injecting filter (F-7, R-5), so a to-guest frame
/// meets the rewriter with the netdev as sender (primary-side rules) and a from-guest frame
/// meets it with the NIC as sender (secondary-side rules).
///
/// Step protocol: all filters run in QEMU's main loop, synchronously; after each input a
/// barrier marker (non-TCP, passed untouched by the rewriter) is sent on *both* indevs, and
/// the step ends when both markers came out of their captures.
public final class RewriterOracle {
    public let configuration: RewriterOracleConfiguration
    private let session: QEMUSession
    private let wire: LoopbackUDPSocket
    private let toGuestInput: UnixStream
    private let fromGuestInput: UnixStream
    private let toGuestCapture: QEMUSession.Capture
    private let fromGuestCapture: QEMUSession.Capture
    private var marker = BarrierMarker()

    public var commandLine: String { session.process.commandLine }
    public var isQEMURunning: Bool { session.process.isRunning }
    public var temporaryDirectory: String { session.directory }
    public var qemuStderr: String { session.process.stderrText() }

    public init(_ configuration: RewriterOracleConfiguration = .init(), qemu: String? = nil) throws(OracleError) {
        self.configuration = configuration
        let executable: String
        if let qemu { executable = qemu } else { executable = try QEMULocator.require() }
        let wire = try LoopbackUDPSocket()
        let localPort = try LoopbackUDPSocket.vacantPort()
        self.wire = wire
        let session = try QEMUSession.launch(executable: executable, timeout: configuration.stepTimeout) {
            directory throws(OracleError) in
            try Self.arguments(directory: directory, wirePort: wire.port, localPort: localPort)
        }
        self.session = session
        let directory = session.directory
        toGuestInput = try session.connect(path: "\(directory)/ti.sock", label: "to-guest indev")
        fromGuestInput = try session.connect(path: "\(directory)/fi.sock", label: "from-guest indev")
        toGuestCapture = try session.addCapture(path: "\(directory)/tc.sock", label: "to-guest capture", withVnetField: false)
        fromGuestCapture = try session.addCapture(path: "\(directory)/fc.sock", label: "from-guest capture", withVnetField: false)
        try session.waitForChardevsConnected()
    }

    deinit { session.shutdown() }

    public func shutdown() {
        session.shutdown()
        wire.close()
    }

    public static func arguments(directory: String, wirePort: UInt16, localPort: UInt16) throws(OracleError) -> [String] {
        var arguments = [
            "-M", "none", "-nodefaults", "-display", "none", "-monitor", "none", "-serial", "none",
            "-netdev", "socket,id=hn0,udp=127.0.0.1:\(wirePort),localaddr=127.0.0.1:\(localPort)",
            "-netdev", "hubport,id=hp0,hubid=0,netdev=hn0",
            "-netdev", "hubport,id=hp1,hubid=0",
        ]
        for id in ["ti", "fi", "tc", "fc"] {
            let path = "\(directory)/\(id).sock"
            try UnixStream.checkPathLength(path)
            arguments += ["-chardev", "socket,id=\(id),path=\(path),server=on,wait=off"]
        }
        arguments += [
            "-object", "filter-redirector,id=toguest-in,netdev=hn0,queue=tx,indev=ti",
            "-object", "filter-redirector,id=fromguest-out,netdev=hn0,queue=rx,outdev=fc",
            "-object", "filter-rewriter,id=rew0,netdev=hn0,queue=all",
            "-object", "filter-redirector,id=toguest-out,netdev=hn0,queue=tx,outdev=tc",
            "-object", "filter-redirector,id=fromguest-in,netdev=hn0,queue=rx,indev=fi",
        ]
        return arguments
    }

    /// A frame from the network to the guest (primary-side rules, RW-7…RW-10).
    public func sendToGuest(_ frame: Frame) throws(OracleError) -> RewriterStepOutput {
        try BarrierMarker.checkNotReserved(frame, input: "to-guest frame")
        try session.writeRecord(frame, withVnetField: false, to: toGuestInput, purpose: "sending a to-guest frame")
        return try barrier()
    }

    /// A frame from the guest to the network (secondary-side rules, RW-11).
    public func sendFromGuest(_ frame: Frame) throws(OracleError) -> RewriterStepOutput {
        try BarrierMarker.checkNotReserved(frame, input: "from-guest frame")
        try session.writeRecord(frame, withVnetField: false, to: fromGuestInput, purpose: "sending a from-guest frame")
        return try barrier()
    }

    /// Checkpoint event to every filter (RW-15: offsets := 0), via QMP `xen-colo-do-checkpoint`.
    public func checkpoint() throws(OracleError) -> RewriterStepOutput {
        try session.qmp.execute("xen-colo-do-checkpoint", session: session)
        return try barrier()
    }

    /// Pauses the VM (QMP `stop`): frames the rewriter re-injects are then held (F-12, RW-6).
    public func stopVM() throws(OracleError) -> RewriterStepOutput {
        try session.qmp.execute("stop", session: session)
        return try barrier()
    }

    /// Resumes the VM (QMP `cont`).
    public func resumeVM() throws(OracleError) -> RewriterStepOutput {
        try session.qmp.execute("cont", session: session)
        return try barrier()
    }

    private func barrier() throws(OracleError) -> RewriterStepOutput {
        var step = RewriterStepOutput()
        for (input, capture) in [(toGuestInput, toGuestCapture), (fromGuestInput, fromGuestCapture)] {
            let frame = marker.next()
            try session.writeRecord(frame, withVnetField: false, to: input, purpose: "sending a barrier marker on \(input.label)")
            try session.waitUntil("barrier marker \(marker.issued) on \(capture.stream.label)") {
                () throws(OracleError) -> Bool in
                capture.received.contains(frame)
            }
        }
        try session.drainAll()
        step.toGuest = try framesBeforeMarker(toGuestCapture)
        step.fromGuest = try framesBeforeMarker(fromGuestCapture)
        step.wire = wire.receiveAll()
        return step
    }

    private func framesBeforeMarker(_ capture: QEMUSession.Capture) throws(OracleError) -> [Frame] {
        let received = capture.take()
        guard let markerIndex = received.firstIndex(where: BarrierMarker.isMarker),
              markerIndex == received.count - 1 else {
            throw .malformedOutput(
                channel: capture.stream.label,
                detail: "expected exactly one trailing barrier marker among \(received.count) record(s)",
                stderr: qemuStderr)
        }
        return Array(received[..<markerIndex])
    }
}
