// swift-tools-version:6.0
import PackageDescription

// Module layout (see docs/ARCHITECTURE.md):
//   Fabric     — what both hosts share: packets, chardev framing and pipes, the deterministic
//                scheduler, netdevs and filter chains, mirror/redirector/dump, pcap.
//   Primary    — colo-compare and the primary host.
//   Secondary  — filter-rewriter and the secondary host.
//   Scenarios  — workloads, scenario language, runner, fuzzer, figure.
//   CPcap      — libpcap as a system library.
//   LockstepCLI — the `lockstep` command.
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Lockstep",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lockstep", targets: ["LockstepCLI"]),
        .library(name: "Fabric", targets: ["Fabric"]),
        .library(name: "Primary", targets: ["Primary"]),
        .library(name: "Secondary", targets: ["Secondary"]),
        .library(name: "Scenarios", targets: ["Scenarios"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CPcap",
            pkgConfig: "libpcap",
            providers: [.apt(["libpcap-dev"])]
        ),
        .target(
            name: "Fabric",
            dependencies: [
                "CPcap",
                .product(name: "Collections", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(name: "Primary", dependencies: ["Fabric"], swiftSettings: strict),
        .target(name: "Secondary", dependencies: ["Fabric"], swiftSettings: strict),
        .target(name: "QEMUHarness", dependencies: ["Fabric"], swiftSettings: strict),
        .target(
            name: "Scenarios",
            dependencies: [
                "Fabric", "Primary", "Secondary", .product(name: "Collections", package: "swift-collections"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Daemon",
            dependencies: ["Fabric", "Primary", "Scenarios", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "LockstepCLI",
            dependencies: [
                "Fabric", "Primary", "Secondary", "Scenarios", "Daemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // Test-only helpers shared by test targets (locating and running the built `lockstep`).
        .target(name: "LockstepTestSupport", swiftSettings: strict),
        .testTarget(name: "FabricTests", dependencies: ["Fabric", "LockstepTestSupport"], swiftSettings: strict),
        .testTarget(name: "CLITests", dependencies: ["Fabric", "LockstepTestSupport"], swiftSettings: strict),
        .testTarget(name: "PrimaryTests", dependencies: ["Primary", "Fabric", "QEMUHarness"], swiftSettings: strict),
        .testTarget(name: "SecondaryTests", dependencies: ["Secondary", "Fabric", "QEMUHarness"], swiftSettings: strict),
        .testTarget(name: "DaemonTests", dependencies: ["Daemon", "QEMUHarness", "Fabric"], swiftSettings: strict),
        .testTarget(name: "ScenariosTests", dependencies: ["Scenarios"], resources: [.copy("Fixtures")], swiftSettings: strict),
    ]
)
