// swift-tools-version:6.0
import PackageDescription

// One module per part of the COLO figure; docs/ARCHITECTURE.md draws the graph and says why
// each module exists. Lockstep runs on Linux only: it reads Glibc for sockets, processes and
// clocks, and its tests start Debian's QEMU.
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let collections: Target.Dependency = .product(name: "Collections", package: "swift-collections")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")

let package = Package(
    name: "Lockstep",
    products: [
        .executable(name: "lockstep", targets: ["LockstepCLI"]),
        .library(name: "Fabric", targets: ["Fabric"]),
        .library(name: "GuestStack", targets: ["GuestStack"]),
        .library(name: "Primary", targets: ["Primary"]),
        .library(name: "Secondary", targets: ["Secondary"]),
        .library(name: "Deployment", targets: ["Deployment"]),
        .library(name: "COLORuntime", targets: ["COLORuntime"]),
        .library(name: "Scenarios", targets: ["Scenarios"]),
        .library(name: "Fuzzing", targets: ["Fuzzing"]),
        .library(name: "Teaching", targets: ["Teaching"]),
        .library(name: "Daemon", targets: ["Daemon"]),
        .library(name: "QEMUBackend", targets: ["QEMUBackend"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),

        // What both hosts share: packets, chardev framing and pipes, the scheduler, netdevs,
        // filter-mirror/-redirector/-dump, pcap.
        .target(name: "Fabric", dependencies: ["CPcap", collections], swiftSettings: strict),
        // The guests' and the client's TCP/IP stack and applications.
        .target(name: "GuestStack", dependencies: ["Fabric"], swiftSettings: strict),
        // colo-compare and what the primary host wires around it.
        .target(name: "Primary", dependencies: ["Fabric", collections], swiftSettings: strict),
        // filter-rewriter and what the secondary host wires around it.
        .target(name: "Secondary", dependencies: ["Fabric"], swiftSettings: strict),
        // A COLO deployment: the topology model, QEMU command lines in and out, the lint.
        .target(name: "Deployment", dependencies: ["Fabric", "Primary"], swiftSettings: strict),
        // Both hosts built from a topology, the checkpoint controller, the run log and report.
        .target(
            name: "COLORuntime",
            dependencies: ["Fabric", "GuestStack", "Primary", "Secondary", "Deployment", collections],
            swiftSettings: strict
        ),
        // The scenario language and what runs it.
        .target(
            name: "Scenarios",
            dependencies: ["Fabric", "GuestStack", "Primary", "Secondary", "Deployment", "COLORuntime",
                           .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        // Campaigns over a scenario's choice points, shrinking, replay, failover sweeps.
        .target(name: "Fuzzing", dependencies: ["Fabric", "Deployment", "COLORuntime", "Scenarios"], swiftSettings: strict),
        // The figure and its layout engine, packet walks, ladders, the HTML report, explained traces.
        .target(
            name: "Teaching",
            dependencies: ["Fabric", "Primary", "Secondary", "Deployment", "COLORuntime"],
            swiftSettings: strict
        ),
        // `lockstep serve`: colo-compare over real sockets.
        .target(name: "Daemon", dependencies: ["Fabric", "Primary", "Deployment", logging], swiftSettings: strict),
        // Per-thread heap allocation counts for `lockstep bench` (malloc and friends, forwarded to
        // glibc): what a hot path allocates is printed beside its rate.
        .target(name: "AllocationCounter"),
        // Throughput workloads behind `lockstep bench` and `lockstep bench-serve`.
        .target(
            name: "Benchmarks",
            dependencies: ["Fabric", "GuestStack", "Primary", "Secondary", "COLORuntime", "Daemon", "AllocationCounter"],
            swiftSettings: strict
        ),
        // Real QEMU as an oracle for the differential tests, and the compare engine behind the
        // same step protocol, configured as the oracle configures QEMU.
        .target(name: "QEMUHarness", dependencies: ["Fabric", "Primary"], swiftSettings: strict),
        // A scenario run on two real QEMU processes (real COLO), and the diff against the emulation.
        .target(
            name: "QEMUBackend",
            dependencies: ["Fabric", "Primary", "Deployment", "COLORuntime", "Scenarios", "QEMUHarness"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "LockstepCLI",
            dependencies: [
                "Fabric", "GuestStack", "Primary", "Secondary", "Deployment", "COLORuntime", "Scenarios",
                "Fuzzing", "Teaching", "Daemon", "Benchmarks", "QEMUBackend", logging,
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),

        // Test-only helpers shared by test targets (locating and running the built `lockstep`).
        .target(name: "LockstepTestSupport", swiftSettings: strict),
        .testTarget(name: "FabricTests", dependencies: ["Fabric", "Benchmarks", "LockstepTestSupport"], swiftSettings: strict),
        .testTarget(name: "GuestStackTests", dependencies: ["GuestStack", "Fabric", "Benchmarks"], swiftSettings: strict),
        .testTarget(name: "PrimaryTests", dependencies: ["Primary", "Fabric", "Benchmarks", "QEMUHarness", "LockstepTestSupport"], swiftSettings: strict),
        .testTarget(name: "SecondaryTests", dependencies: ["Secondary", "Fabric", "Benchmarks", "QEMUHarness", "LockstepTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "DeploymentTests",
            dependencies: ["Deployment", "Fabric", "Primary", "LockstepTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "COLORuntimeTests",
            dependencies: ["COLORuntime", "Deployment", "GuestStack", "Fabric", "Primary", "Secondary", "Benchmarks", "LockstepTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ScenariosTests",
            dependencies: ["Scenarios", "Fuzzing", "COLORuntime", "Deployment", "GuestStack", "Fabric", "Primary", "Secondary"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FuzzingTests",
            dependencies: ["Fuzzing", "Scenarios", "COLORuntime", "Deployment", "GuestStack", "Fabric", "Teaching"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TeachingTests",
            dependencies: ["Teaching", "Fuzzing", "Scenarios", "COLORuntime", "Deployment", "Fabric", "Primary", "LockstepTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(name: "DaemonTests", dependencies: ["Daemon", "QEMUHarness", "Fabric", "Primary"], swiftSettings: strict),
        .testTarget(name: "CLITests", dependencies: ["Fabric", "LockstepTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "QEMUBackendTests",
            dependencies: ["QEMUBackend", "Scenarios", "COLORuntime", "Deployment", "Fabric", "QEMUHarness"],
            swiftSettings: strict
        ),
    ]
)
