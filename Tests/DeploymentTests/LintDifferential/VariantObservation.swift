import Foundation
@testable import Deployment

/// What one QEMU did with its command line.
struct HostObservation: Sendable {
    var state: QEMUHostRun.State
    var stderr: String
}

/// What both QEMUs of a variant did, and the pipes that formed when both ran.
struct VariantObservation: Sendable {
    var hosts: [HostRole: HostObservation]
    /// `server <- client` endpoint pairs (`primary.mirror0 <- secondary.red0`); nil unless both
    /// QEMUs started.
    var links: Set<String>?
    /// Endpoints whose peer cannot be told from outside: connected unix clients of a path two
    /// connected servers share (QEMU shows no peer for unix sockets), and those servers.
    var unobservable: Set<String> = []
    var seconds: Double
}

/// Starts a variant's two QEMUs and watches them. The host with the servers starts first
/// (the order the lint is told); the second starts as soon as the first greets, exits, or says
/// it waits for a client. Pipes are read once nothing that retries is still disconnected.
enum VariantRunner {
    /// Longest wait for a QEMU's greeting; a machine under load may need a few seconds.
    static let startSeconds = 8.0

    static func observe(
        primary: [String], secondary: [String], first: HostRole, model: Topology,
        namespace: NetworkNamespace, executable: String, directory: String
    ) throws -> VariantObservation {
        let began = ContinuousClock.now
        var startable = StartableCommandLine(directory: directory)
        let argv: [HostRole: [String]] = [.primary: startable.argv(primary), .secondary: startable.argv(secondary)]
        let second: HostRole = first == .primary ? .secondary : .primary
        var runs: [HostRole: QEMUHostRun] = [:]
        defer { runs.values.forEach { $0.kill() } }

        let firstRun = try QEMUHostRun(role: first.rawValue, executable: executable, arguments: argv[first] ?? [], namespace: namespace, directory: directory)
        runs[first] = firstRun
        firstRun.awaitStart(seconds: startSeconds, stopWhenWaiting: true)
        let firstWaited = firstRun.process.isRunning && !firstRun.isGreeted
        let secondRun = try QEMUHostRun(role: second.rawValue, executable: executable, arguments: argv[second] ?? [], namespace: namespace, directory: directory)
        runs[second] = secondRun
        secondRun.awaitStart(seconds: startSeconds, stopWhenWaiting: true)
        // A QEMU waiting for a client gets it when the peer starts, or, for a client that
        // retries, within its retry period.
        if firstWaited { firstRun.awaitStart(seconds: 2, stopWhenWaiting: false) }
        if secondRun.process.isRunning, !secondRun.isGreeted { secondRun.awaitStart(seconds: 2.5, stopWhenWaiting: false) }

        var links: Set<String>?
        var unobservable: Set<String> = []
        if firstRun.isGreeted, secondRun.isGreeted, firstRun.process.isRunning, secondRun.process.isRunning,
           let reading = settledLinks(runs: runs, model: model, paths: startable.paths) {
            links = reading.links
            unobservable = reading.unobservable
        }
        var hosts: [HostRole: HostObservation] = [:]
        for (role, run) in runs {
            hosts[role] = HostObservation(state: run.state(blockedFirst: role == first && firstWaited), stderr: "")
        }
        runs.values.forEach { $0.kill() }
        for (role, run) in runs {
            hosts[role]?.stderr = run.stderr
        }
        let elapsed = ContinuousClock.now - began
        return VariantObservation(hosts: hosts, links: links, unobservable: unobservable,
                                  seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// Polls both QEMUs' chardevs until no client that retries is still disconnected (at most
    /// 1.6 s: a `reconnect=1` client tries again a second after a failed connect).
    private static func settledLinks(runs: [HostRole: QEMUHostRun], model: Topology, paths: [String: String]) -> PipeReading.Reading? {
        let retrying = Set(HostRole.allCases.flatMap { role in
            model[role].chardevs.filter { $0.socket?.reconnects == true }.map { "\(role.rawValue).\($0.id)" }
        })
        let deadline = ContinuousClock.now + .milliseconds(1600)
        var previous: [String: String]?
        while true {
            var filenames: [String: String] = [:]
            for (role, run) in runs {
                guard let chardevs = run.chardevs() else { return nil }
                for (label, filename) in chardevs where label != "compat_monitor0" {
                    // A chardev with mux=on is a mux in front of a socket named LABEL-base.
                    let name = label.hasSuffix("-base") && model[role].chardev(String(label.dropLast(5)))?.socket?.options.value(for: "mux") != nil
                        ? String(label.dropLast(5)) : label
                    if name != label || filenames["\(role.rawValue).\(name)"] == nil {
                        filenames["\(role.rawValue).\(name)"] = filename
                    }
                }
            }
            let waiting = retrying.contains { filenames[$0]?.hasPrefix("disconnected:") ?? false }
            if (!waiting && filenames == previous) || ContinuousClock.now > deadline {
                return PipeReading.links(filenames: filenames, model: model, paths: paths)
            }
            previous = filenames
            Thread.sleep(forTimeInterval: 0.05)
        }
    }
}

/// Reads `query-chardev` filenames into pipes. A connected TCP chardev reads
/// `tcp:LOCAL[,server=on] <-> REMOTE`: a server and a client pair when each one's remote port
/// is the other's local port (ports are unique within the namespace). A connected unix server
/// reads `unix:PATH,server=on`; its clients are the connected unix clients configured with
/// that path.
enum PipeReading {
    struct Reading {
        var links: Set<String>
        var unobservable: Set<String>
    }

    static func links(filenames: [String: String], model: Topology, paths: [String: String]) -> Reading {
        struct End { let name: String; let server: Bool; let local: String; let remote: String }
        var tcp: [End] = []
        var unixServers: [(name: String, path: String)] = []
        var unixClients: [String] = []
        for (name, filename) in filenames where !filename.hasPrefix("disconnected:") {
            let parts = filename.components(separatedBy: " <-> ")
            if parts.count == 2, let colon = parts[0].firstIndex(of: ":") {
                let local = parts[0][parts[0].index(after: colon)...]
                let server = local.hasSuffix(",server=on")
                tcp.append(End(name: name, server: server, local: port(of: String(local.replacing(",server=on", with: ""))),
                               remote: port(of: parts[1])))
            } else if filename.hasPrefix("unix:") {
                if filename.hasSuffix(",server=on") {
                    unixServers.append((name, String(filename.dropFirst(5).dropLast(10))))
                } else {
                    unixClients.append(name)
                }
            }
        }
        var links: Set<String> = []
        for server in tcp where server.server {
            for client in tcp where !client.server && client.local == server.remote && client.remote == server.local {
                links.insert("\(server.name) <- \(client.name)")
            }
        }
        var unobservable: Set<String> = []
        for client in unixClients {
            guard let configured = configuredPath(of: client, in: model).map({ paths[$0] ?? $0 }) else { continue }
            let owners = unixServers.filter { $0.path == configured }
            if owners.count == 1 {
                links.insert("\(owners[0].name) <- \(client)")
            } else if owners.count > 1 {
                unobservable.insert(client)
                unobservable.formUnion(owners.map(\.name))
            }
        }
        return Reading(links: links, unobservable: unobservable)
    }

    private static func port(of address: String) -> String {
        String(address.split(separator: ":").last ?? "")
    }

    private static func configuredPath(of endpoint: String, in model: Topology) -> String? {
        let parts = endpoint.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let role = HostRole(rawValue: parts[0]),
              case .unix(let path)? = model[role].chardev(parts[1])?.socket?.address
        else { return nil }
        return path
    }
}
