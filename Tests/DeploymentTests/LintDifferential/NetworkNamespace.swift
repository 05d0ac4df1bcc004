import Foundation

/// A private network namespace (`ip netns add`) with only loopback up: both QEMUs of a variant
/// run in it, so taps, addresses and ports never touch the machine's own network or collide
/// with other runs. New interfaces get no IPv6, which keeps the kernel's router solicitations
/// out of the filters. Loopback has no other address unless a variant asks for one (`withAddresses`):
/// a non-loopback IPv4 address would change how getaddrinfo treats IPv6 literals (AI_ADDRCONFIG).
/// Needs root; deleted on `remove()`.
final class NetworkNamespace: @unchecked Sendable {
    let name: String
    private var removed = false

    /// Why the differential cannot run here, or nil when it can.
    static var unavailableReason: String? {
        guard getuid() == 0 else { return "not root: creating network namespaces and taps needs root (CI runs as root)" }
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") || FileManager.default.isExecutableFile(atPath: "/sbin/ip")
            || FileManager.default.isExecutableFile(atPath: "/usr/bin/ip")
        else { return "iproute2's ip is not installed" }
        guard FileManager.default.fileExists(atPath: "/dev/net/tun") else { return "/dev/net/tun is missing: no taps" }
        return nil
    }

    init(label: String) throws {
        name = "lockstep-\(label)-\(getpid())"
        _ = try? Self.run(["netns", "delete", name])
        try Self.run(["netns", "add", name])
        try Self.run(["netns", "exec", name, "ip", "link", "set", "lo", "up"])
        try Self.run(["netns", "exec", name, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1"])
    }

    /// Runs `body` with `addresses` (CIDR) added to loopback, removing them afterwards.
    func withAddresses<T>(_ addresses: [String], _ body: () throws -> T) throws -> T {
        for address in addresses { try Self.run(["netns", "exec", name, "ip", "addr", "add", address, "dev", "lo"]) }
        defer {
            for address in addresses { _ = try? Self.run(["netns", "exec", name, "ip", "addr", "del", address, "dev", "lo"]) }
        }
        return try body()
    }

    /// argv that runs `command` inside the namespace.
    func wrap(_ command: [String]) -> [String] {
        ["netns", "exec", name] + command
    }

    static var ipPath: String {
        ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/sbin/ip"
    }

    func remove() {
        guard !removed else { return }
        removed = true
        _ = try? Self.run(["netns", "delete", name])
    }

    deinit { remove() }

    struct CommandFailed: Error, CustomStringConvertible {
        let arguments: [String]
        let status: Int32
        let output: String
        var description: String { "ip \(arguments.joined(separator: " ")) exited \(status): \(output)" }
    }

    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ipPath)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw CommandFailed(arguments: arguments, status: process.terminationStatus, output: output)
        }
        return output
    }
}
