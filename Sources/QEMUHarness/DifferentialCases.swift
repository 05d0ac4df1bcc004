import Fabric

/// A colo-compare differential case: the same steps go to QEMU and to our engine, and the two
/// transcripts must be equal.
public struct CompareCase: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    /// Spec rules the case exercises, for failure messages and coverage tables.
    public var rules: [String]
    /// nil = QEMU's default 1024 (C-6). The value is process-global in QEMU (one per oracle).
    public var maxQueueSize: UInt32?
    public var vnetHeaderSupport: Bool
    public var steps: [CompareStep]

    public init(name: String, rules: [String], maxQueueSize: UInt32? = nil, vnetHeaderSupport: Bool = false, steps: [CompareStep]) {
        self.name = name
        self.rules = rules
        self.maxQueueSize = maxQueueSize
        self.vnetHeaderSupport = vnetHeaderSupport
        self.steps = steps
    }

    public var description: String { name }

    public var oracleConfiguration: CompareOracleConfiguration {
        CompareOracleConfiguration(maxQueueSize: maxQueueSize, vnetHeaderSupport: vnetHeaderSupport)
    }

    /// Plays every step on `stepper` and records what each step produced.
    public func run(on stepper: inout some CompareStepper) throws -> CompareTranscript {
        var transcript = CompareTranscript(caseName: name, steps: steps)
        for step in steps {
            switch step {
            case .primary(let frame): transcript.outputs.append(try stepper.sendPrimary(frame))
            case .secondary(let frame): transcript.outputs.append(try stepper.sendSecondary(frame))
            case .checkpoint: transcript.outputs.append(try stepper.checkpoint())
            }
        }
        return transcript
    }

    /// Runs the case on a fresh QEMU colo-compare, which is killed afterwards.
    public func runOnQEMU(stepTimeout: Duration = .seconds(10)) throws -> CompareTranscript {
        try run(program: OracleProgram.qemu(), stepTimeout: stepTimeout)
    }

    /// Runs the case on a fresh process of `program` (QEMU, or `lockstep serve`) started with
    /// the oracle's QEMU arguments, then kills it.
    public func run(program: OracleProgram, stepTimeout: Duration = .seconds(10)) throws -> CompareTranscript {
        var configuration = oracleConfiguration
        configuration.stepTimeout = stepTimeout
        var oracle = try CompareOracle(configuration, program: program)
        defer { oracle.shutdown() }
        return try run(on: &oracle)
    }
}

/// A filter-rewriter differential case.
public struct RewriterCase: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var rules: [String]
    public var steps: [RewriterStep]

    public init(name: String, rules: [String], steps: [RewriterStep]) {
        self.name = name
        self.rules = rules
        self.steps = steps
    }

    public var description: String { name }

    public func run(on stepper: inout some RewriterStepper) throws -> RewriterTranscript {
        var transcript = RewriterTranscript(caseName: name, steps: steps)
        for step in steps {
            switch step {
            case .toGuest(let frame): transcript.outputs.append(try stepper.sendToGuest(frame))
            case .fromGuest(let frame): transcript.outputs.append(try stepper.sendFromGuest(frame))
            case .checkpoint: transcript.outputs.append(try stepper.checkpoint())
            }
        }
        return transcript
    }

    /// Runs the case on a fresh QEMU filter-rewriter, which is killed afterwards.
    public func runOnQEMU(stepTimeout: Duration = .seconds(10)) throws -> RewriterTranscript {
        var oracle = try RewriterOracle(.init(stepTimeout: stepTimeout))
        defer { oracle.shutdown() }
        return try run(on: &oracle)
    }
}

/// The catalogue of differential cases. Hand-written cases target one rule each; seeded
/// cases add volume. All lists are deterministic.
public enum DifferentialCases {
    /// Seeds of the generated cases included in the standard catalogue.
    public static let standardSeeds: [UInt64] = [1, 2, 3, 4, 5, 6]

    public static var compare: [CompareCase] {
        CompareCatalogue.handWritten
            + standardSeeds.map { CompareCatalogue.randomTCP(seed: $0) }
            + standardSeeds.prefix(3).map { CompareCatalogue.randomDatagrams(seed: $0) }
    }

    public static var rewriter: [RewriterCase] {
        RewriterCatalogue.handWritten + standardSeeds.map { RewriterCatalogue.random(seed: $0) }
    }
}
