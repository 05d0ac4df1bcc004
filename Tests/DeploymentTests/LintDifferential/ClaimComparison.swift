import Foundation
@testable import Deployment

/// One way the lint and real QEMU disagree on a variant.
struct Disagreement: Sendable, CustomStringConvertible {
    enum Kind: String, Sendable {
        /// The lint claims another outcome than QEMU's (starts, refuses, aborts, hangs, waits).
        case outcome
        /// Same outcome, but QEMU prints none of the messages the lint quotes.
        case message
        /// A warning the lint says QEMU prints is not printed.
        case warning
        /// The pipes the lint pairs are not the ones that connect.
        case pipes
    }

    let host: HostRole?
    let kind: Kind
    let detail: String

    var description: String { "\(host.map { "\($0)" } ?? "both") \(kind.rawValue): \(detail)" }
}

/// Compares a lint report's machine-readable claims with what the two QEMUs did. A host QEMU
/// refused only because the other one never started (a client finding nobody to connect to)
/// is "masked" and not counted: its own claims cannot be checked.
enum ClaimComparison {
    struct Result: Sendable {
        var disagreements: [Disagreement] = []
        var masked: [HostRole] = []
        var depends: [HostRole] = []
    }

    static func compare(_ report: LintReport, with observation: VariantObservation) -> Result {
        var result = Result()
        for role in HostRole.allCases {
            guard let observed = observation.hosts[role] else { continue }
            let other = observation.hosts[role == .primary ? .secondary : .primary]
            let otherDown = other.map { [.refused, .aborted, .hung].contains($0.state) } ?? false
            let claims = report.findings.filter { $0.host == role }.compactMap(\.claim)
            let failures = claims.filter { $0.outcome.isFailure }
            // What a host name resolves to is the machine's business: no outcome to compare,
            // unless QEMU failed in a way the lint does claim.
            if claims.contains(where: { $0.outcome == .depends }),
               !failures.contains(where: { matches($0.message, observed.stderr) && observed.state != .started && observed.state != .startedAfterPeer }) {
                result.depends.append(role)
                continue
            }
            switch observed.state {
            case .refused, .aborted, .hung:
                let outcome: QEMUClaim.Outcome = observed.state == .refused ? .refused : observed.state == .aborted ? .aborted : .hung
                let sameOutcome = failures.filter { $0.outcome == outcome }
                if sameOutcome.contains(where: { matches($0.message, observed.stderr) }) { continue }
                if otherDown, observed.stderr.contains("Failed to connect to") {
                    result.masked.append(role)
                    continue
                }
                let said = firstError(observed.stderr)
                if failures.isEmpty {
                    result.disagreements.append(Disagreement(host: role, kind: .outcome, detail: "QEMU \(observed.state.rawValue): \(said); the lint claims it starts"))
                } else if sameOutcome.isEmpty {
                    result.disagreements.append(Disagreement(host: role, kind: .outcome,
                        detail: "QEMU \(observed.state.rawValue): \(said); the lint claims \(describe(failures))"))
                } else {
                    result.disagreements.append(Disagreement(host: role, kind: .message,
                        detail: "QEMU \(observed.state.rawValue): \(said); the lint quotes \(describe(sameOutcome))"))
                }
            case .started, .startedAfterPeer:
                if !failures.isEmpty {
                    result.disagreements.append(Disagreement(host: role, kind: .outcome, detail: "QEMU started; the lint claims \(describe(failures))"))
                    continue
                }
                if observed.state == .startedAfterPeer, !claims.contains(where: { $0.outcome == .blocked }) {
                    result.disagreements.append(Disagreement(host: role, kind: .outcome, detail: "QEMU waited for the other host before starting; the lint claims it starts on its own"))
                }
                for claim in claims where claim.outcome == .started {
                    guard let message = claim.message, !matches(message, observed.stderr) else { continue }
                    result.disagreements.append(Disagreement(host: role, kind: .warning, detail: "QEMU does not print \(message)"))
                }
            case .exited:
                continue
            }
        }
        if let observed = observation.links, result.depends.isEmpty {
            let checkable = report.topology.links.filter {
                !observation.unobservable.contains("\($0.server)") && !observation.unobservable.contains("\($0.client)")
            }
            result.disagreements += comparePipes(lint: checkable, observed: observed)
        }
        return result
    }

    /// Each server the lint pairs with one client must be connected to it; one paired with
    /// several (L033) must be connected to exactly one of them; nothing else may connect.
    private static func comparePipes(lint links: [ChardevLink], observed: Set<String>) -> [Disagreement] {
        var clientsByServer: [String: Set<String>] = [:]
        for link in links {
            clientsByServer["\(link.server)", default: []].insert("\(link.client)")
        }
        var observedByServer: [String: Set<String>] = [:]
        for pipe in observed {
            let parts = pipe.components(separatedBy: " <- ")
            guard parts.count == 2 else { continue }
            observedByServer[parts[0], default: []].insert(parts[1])
        }
        var problems: [String] = []
        for (server, clients) in clientsByServer.sorted(by: { $0.key < $1.key }) {
            let seen = observedByServer[server] ?? []
            let fine = clients.count == 1 ? seen == clients : (seen.count == 1 && seen.isSubset(of: clients))
            if !fine {
                problems.append("\(server): lint pairs \(clients.sorted().joined(separator: ", ")), QEMU connected \(seen.isEmpty ? "nothing" : seen.sorted().joined(separator: ", "))")
            }
        }
        for (server, seen) in observedByServer.sorted(by: { $0.key < $1.key }) where clientsByServer[server] == nil {
            problems.append("\(server): QEMU connected \(seen.sorted().joined(separator: ", ")), the lint pairs nothing")
        }
        return problems.map { Disagreement(host: nil, kind: .pipes, detail: $0) }
    }

    static func matches(_ message: QEMUClaim.Message?, _ stderr: String) -> Bool {
        switch message {
        case nil:
            return true
        case .exact(let text):
            return stderr.contains(text)
        case .pattern(let pattern):
            guard let regex = try? Regex(pattern) else { return false }
            return stderr.split(whereSeparator: \.isNewline).contains { $0.contains(regex) }
        }
    }

    private static func describe(_ claims: [QEMUClaim]) -> String {
        claims.map { claim in "\(claim.outcome)" + (claim.message.map { " \($0)" } ?? "") }.joined(separator: " or ")
    }

    /// QEMU's first line that is not a warning or noise, without the program prefix.
    static func firstError(_ stderr: String) -> String {
        let lines = stderr.split(whereSeparator: \.isNewline).map(String.init).filter { line in
            !line.hasPrefix("W: /etc/qemu-if") && !line.contains("warning:") && !line.hasPrefix("Please use")
                && !line.contains("terminating on signal") && !line.trimmingCharacters(in: .whitespaces).isEmpty
        }
        let line = lines.first ?? stderr.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return String(line.replacing("qemu-system-x86_64: ", with: "").prefix(240))
    }
}
