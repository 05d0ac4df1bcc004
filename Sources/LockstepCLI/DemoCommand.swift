import ArgumentParser
import Teaching

/// `lockstep demo`: the quick start. The walk is `PrimaryChainDemo` in Teaching.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Walk a few frames through a primary-node filter chain and print every hop."
    )

    func run() throws {
        print(try PrimaryChainDemo.transcript(), terminator: "")
    }
}
