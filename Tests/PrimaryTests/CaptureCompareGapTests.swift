import Testing
@testable import Fabric
@testable import Primary

/// Issue #19, `lockstep compare` over long gaps: the capture run jumps over scans that would see
/// what the last one saw and keeps a repeated timeout request as one decision with a count.
/// Expanded, its decisions must be exactly the engine's when every scan is stepped (what QEMU
/// does), checked here against a reference that steps every scan.
@Suite("capture comparison over long gaps")
struct CaptureCompareGapTests {
    /// Every scan stepped, every decision kept: the run before the jump, as a reference.
    static func stepped(primary: [CapturedFrame], secondary: [CapturedFrame], options: CaptureCompareOptions)
        -> [(timeUs: Int64, event: CompareDecision)] {
        let origin = (primary + secondary).map(\.timestampUs).min() ?? 0
        var items: [(timeUs: Int64, rank: Int, sequence: Int, frame: Frame?)] = []
        for (position, captured) in primary.enumerated() { items.append((captured.timestampUs - origin, 0, position, captured.frame)) }
        for (position, captured) in secondary.enumerated() { items.append((captured.timestampUs - origin, 1, position, captured.frame)) }
        for (position, time) in options.checkpointsUs.enumerated() { items.append((time, 2, position, nil)) }
        items.sort { ($0.timeUs, $0.rank, $0.sequence) < ($1.timeUs, $1.rank, $1.sequence) }
        var primaryOrder: [Int] = [], secondaryOrder: [Int] = []
        for item in items where item.rank < 2 {
            if item.rank == 0 { primaryOrder.append(item.sequence) } else { secondaryOrder.append(item.sequence) }
        }
        var compare = COLOCompare(
            configuration: COLOCompare.Configuration(compareTimeoutMs: options.compareTimeoutMs, expiredScanCycleMs: options.expiredScanCycleMs,
                                                    profile: options.profile),
            process: CompareProcess(maxQueueSize: options.maxQueueSize), nowMs: 0)
        var decisions: [(Int64, CompareDecision)] = []
        var actions: [CompareAction] = []
        func take(_ time: Int64) {
            for case .event(let event) in actions {
                decisions.append((time, event.remappingIndices(primary: { primaryOrder[$0] }, secondary: { secondaryOrder[$0] })))
            }
            actions.removeAll()
        }
        func scans(before time: Int64, inclusive: Bool) {
            while let deadline = compare.nextScanDeadlineMs, inclusive ? deadline * 1000 <= time : deadline * 1000 < time {
                compare.scanTimerFired(nowMs: deadline, into: &actions)
                take(deadline * 1000)
            }
        }
        for item in items {
            scans(before: item.timeUs, inclusive: false)
            let nowMs = CaptureCompare.floorDivide(item.timeUs, 1000)
            switch item.rank {
            case 0: compare.receivePrimary(item.frame!, nowMs: nowMs, into: &actions)
            case 1: compare.receiveSecondary(item.frame!, nowMs: nowMs, into: &actions)
            default: compare.checkpoint(nowMs: nowMs, into: &actions)
            }
            take(item.timeUs)
        }
        scans(before: items.last?.timeUs ?? 0, inclusive: true)
        return decisions
    }

    /// The capture run's decisions with every repeat written out.
    static func expanded(_ result: CaptureCompareResult) -> [(timeUs: Int64, event: CompareDecision)] {
        result.decisions.flatMap { decision in
            (0...decision.repeats).map { step -> (Int64, CompareDecision) in
                var one = decision
                one.repeats = step
                return (decision.timeUs + Int64(step) * decision.repeatEveryUs, one.lastEvent)
            }
        }
    }

    @Test("Property: on random captures with gaps, the jumping run's decisions expand to the stepped run's exactly")
    func jumpingEqualsStepping() {
        var random = SplitMix64(seed: 1919)
        for trial in 0..<300 {
            func draw(_ bound: UInt64) -> Int64 { Int64(random.next() % bound) }
            let options = CaptureCompareOptions(
                compareTimeoutMs: UInt32(1 + draw(50)), expiredScanCycleMs: UInt32(1 + draw(20)), maxQueueSize: UInt32(1 + draw(8)),
                checkpointsUs: (0..<Int(draw(3))).map { _ in draw(2_000_000) }, profile: [.upstream, .fixed][Int(draw(2))])
            func side(_ count: Int, _ ports: UInt64) -> [CapturedFrame] {
                var time: Int64 = 0
                return (0..<count).map { _ in
                    time += draw(4) == 0 ? draw(1_000_000) : draw(3_000)
                    let payload = draw(3) == 0 ? "odd" : "same"
                    return CapturedFrame(timestampUs: time, frame: Net.udp(payload, sourcePort: UInt16(1000 + draw(ports))))
                }
            }
            let primary = side(Int(draw(8)), 3), secondary = side(Int(draw(8)), 3)
            let result = CaptureCompare.run(primary: primary, secondary: secondary, options: options)
            let reference = Self.stepped(primary: primary, secondary: secondary, options: options)
            let jumped = Self.expanded(result)
            #expect(jumped.map(\.timeUs) == reference.map(\.timeUs), "trial \(trial)")
            #expect(jumped.map(\.event) == reference.map(\.event), "trial \(trial)")
            #expect(result.counters.totalCheckpointRequests == reference.filter {
                if case .checkpointRequest = $0.event { true } else { false }
            }.count, "trial \(trial)")
        }
    }

    @Test("A stuck primary across a year at a 1 ms scan cycle: one decision with the repeats counted")
    func yearGap() {
        let year: Int64 = 365 * 86_400 * 1_000_000
        let primary = [CapturedFrame(timestampUs: 0, frame: Net.udp("stuck")), CapturedFrame(timestampUs: year, frame: Net.udp("late", sourcePort: 9))]
        let result = CaptureCompare.run(primary: primary, secondary: [], options: CaptureCompareOptions(compareTimeoutMs: 3000, expiredScanCycleMs: 1))
        #expect(result.decisions.count == 1)
        let request = result.decisions[0]
        #expect(request.timeUs == 3_001_000)
        #expect(request.lastTimeUs == year)
        #expect(request.repeats == Int((year - 3_001_000) / 1000))
        #expect(result.counters.totalCheckpointRequests == request.repeats + 1)
        let json = CompareJSONReport.lines(result)
        #expect(json[0].hasSuffix(#","repeats":\#(request.repeats),"repeat_every_us":1000,"last_time_us":\#(year),"last_age_ms":\#(year / 1000)}"#), "\(json[0])")
    }

    @Test("Frames cut short by the capture are counted on their side")
    func truncatedCounted() {
        let primary = [CapturedFrame(timestampUs: 0, frame: Net.udp("a"), truncated: true)]
        let secondary = [CapturedFrame(timestampUs: 0, frame: Net.udp("a")), CapturedFrame(timestampUs: 1, frame: Net.udp("b"), truncated: true)]
        let result = CaptureCompare.run(primary: primary, secondary: secondary)
        #expect(result.counters.primaryTruncated == 1 && result.counters.secondaryTruncated == 1)
        #expect(CompareJSONReport.lines(result).last?.hasSuffix(#""primary_truncated":1,"secondary_truncated":1}"#) == true)
    }
}
