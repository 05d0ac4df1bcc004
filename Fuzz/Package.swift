// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for Lockstep, in a package of their own so that Lockstep's manifest, its
// `swift build` / `swift test` never see libFuzzer. Build and run them with
// `scripts/fuzz` (docs/fuzz.md), which passes all four sanitizer flags:
//   swift build -c release --package-path Fuzz --scratch-path .build-fuzz \
//     --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
// `--sanitize=fuzzer` stops SwiftPM linking executables with `--defsym main=<Target>_main`
// (libFuzzer brings `main`); `-Xswiftc -sanitize=fuzzer,address` is what gives the Swift
// modules coverage counters (SwiftPM's two separate `-sanitize=` flags reach the compiler as
// the last one only). Each target is one file defining `LLVMFuzzerTestOneInput`.
let strict: [SwiftSetting] = [.swiftLanguageMode(.v6), .enableUpcomingFeature("ExistentialAny")]

func lockstep(_ product: String) -> Target.Dependency {
    .product(name: product, package: "Lockstep")
}

func fuzzTarget(_ name: String, _ products: [String]) -> Target {
    .executableTarget(name: name, dependencies: ["FuzzSupport"] + products.map(lockstep), swiftSettings: strict)
}

let package = Package(
    name: "LockstepFuzz",
    dependencies: [.package(name: "Lockstep", path: "..")],
    targets: [
        // What every target needs: the re-exec without Swift's backtracer, options, files.
        .target(name: "FuzzSupport", swiftSettings: strict),
        // A scenario run whose every decision is read from the input.
        fuzzTarget("FuzzOrderings", ["Fabric", "Scenarios", "Fuzzing"]),
        // The parsers of hostile input.
        fuzzTarget("FuzzPcap", ["Fabric"]),
        fuzzTarget("FuzzChardev", ["Fabric"]),
        fuzzTarget("FuzzPackets", ["Fabric", "Primary", "Secondary"]),
        fuzzTarget("FuzzScenario", ["Scenarios"]),
        fuzzTarget("FuzzQEMUArgs", ["Deployment"]),
    ]
)
