import ArgumentParser
import Foundation
import Deployment
import COLORuntime
import Scenarios
import Teaching

/// SCENARIO for the teaching commands: `default` (the `lockstep run` default) or a scenario file.
enum TeachScenario {
    static func configuration(_ name: String, duration: DurationArgument?) throws -> COLORunConfiguration {
        var configuration: COLORunConfiguration
        if name == "default" {
            configuration = COLORunConfiguration.defaultScenario
        } else {
            do {
                configuration = try ScenarioParser.load(path: name).configuration
            } catch {
                FileHandle.standardError.write(Data((error.description + "\n").utf8))
                throw ExitCode(2)
            }
        }
        if let duration { configuration.duration = duration.value }
        return configuration
    }

    static func run(_ configuration: COLORunConfiguration) throws -> TeachRun {
        do {
            return try TeachRun(configuration)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}

/// SCENARIO for the topology commands (`qemu-args`, `figure`): `reference` or a scenario file,
/// whose topology (its `qemu:` command lines, or the reference) is used.
enum TopologyScenario {
    static func topology(_ name: String) throws -> (topology: Topology, title: String) {
        if name == "reference" { return (.reference, "reference topology (spec §10)") }
        do {
            let scenario = try ScenarioParser.load(path: name)
            return (scenario.configuration.topology, "scenario \(scenario.name)")
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(2)
        }
    }
}
