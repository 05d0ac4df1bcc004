import Deployment

/// The text under the drawing: the pipes, the walk order per netdev, a legend and the lint
/// findings, each wrapped to the figure's width.
struct FigureSections {
    let model: FigureModel
    let notes: [FigureNote]
    let glyphs: GlyphSet
    let width: Int
    let unroutedLinks: [String]
    /// What the figure left out (`FigureSubject.omitted`).
    var omitted: [String] = []

    func lines() -> [String] {
        var out: [String] = []
        for section in [notDrawn(), pipes(), walks(), legend(), findings()] where !section.isEmpty {
            out.append("")
            out += section
        }
        return out
    }

    private var arrow: String { glyphs.textArrow }

    private func wrap(_ text: String, indent: String = "  ") -> [String] {
        TextWrapping.wrap(glyphs.plain(text), width: width, indent: indent)
    }

    // MARK: Not drawn

    private func notDrawn() -> [String] {
        guard !omitted.isEmpty else { return [] }
        return wrap("Not drawn: the command lines are larger than a figure shows") + omitted.flatMap { wrap("  " + $0, indent: "    ") }
    }

    // MARK: Pipes

    private func pipes() -> [String] {
        guard !model.pipes.isEmpty || !model.pairingProblems.isEmpty else { return [] }
        var out = wrap("Pipes: a socket chardev server and the client that connects to it; records flow writer \(arrow) reader")
        let rows = model.pipes.map { pipe -> (label: String, users: String, rest: String) in
            let join = pipe.directed ? arrow : glyphs.textBothWays
            var rest = "\(pipe.link.address), server \(pipe.link.server.chardev)"
            if unroutedLinks.contains(pipe.component.description) {
                rest += " (not drawn: no room for a path)"
            }
            return ("\(pipe.from.chardev) \(join) \(pipe.to.chardev)", "\(user(pipe.from)) \(join) \(user(pipe.to))", rest)
        }
        let labelWidth = rows.map(\.label.count).max() ?? 0
        let usersWidth = rows.map(\.users.count).max() ?? 0
        for row in rows {
            let text = "  " + padded(row.label, to: labelWidth + 1) + " " + padded(row.users, to: usersWidth + 1) + " " + row.rest
            out += wrap(text, indent: "      ")
        }
        for problem in model.pairingProblems {
            out += wrap("  " + describe(problem), indent: "      ")
        }
        return out
    }

    /// `primary m0.outdev`.
    private func user(_ endpoint: ChardevEndpoint) -> String {
        let port = model.port(of: endpoint).map { "\($0.role.ownerID).\($0.role.property)" } ?? "(no frontend)"
        return "\(endpoint.host) \(port)"
    }

    /// `red1 (secondary f2.outdev)`.
    private func end(_ endpoint: ChardevEndpoint) -> String {
        "\(endpoint.chardev) (\(user(endpoint)))"
    }

    private func describe(_ problem: ChardevPairingProblem) -> String {
        switch problem {
        case .clientWithoutServer(let client, let address):
            "\(end(client)): connects to \(address), where no server listens"
        case .serverWithoutClient(let server, let address):
            "\(end(server)): listens on \(address), no client connects"
        case .severalServers(let servers, let address):
            "\(servers.map(end).joined(separator: ", ")): all listen on \(address)"
        case .severalClients(let server, let clients, let address):
            "\(end(server)) on \(address) has \(clients.count) clients: \(clients.map(end).joined(separator: ", "))"
        case .handshakeMismatch(let server, let client, let address):
            "\(end(server)) on \(address) speaks websocket, \(end(client)) does not: no pipe forms"
        }
    }

    // MARK: Walk order

    private func walks() -> [String] {
        var out = wrap("Walk order per netdev (F-3): tx walks the list head \(arrow) tail, rx tail \(arrow) head; what a redirector reads from its indev is injected next to it (R-5)")
        for host in model.hosts {
            for chain in host.chains {
                out += wrap("  \(host.role) netdev \(chain.netdev.id)")
                let guest = chain.nics.isEmpty
                    ? "no NIC: dropped"
                    : chain.nics.map { "NIC " + ($0.nic.id ?? $0.nic.model) }.joined(separator: ", ")
                let netdev = "netdev \(chain.netdev.id)"
                out += wrap("    tx  \(netdev) \(arrow) " + walk(chain.filters, direction: .tx, end: guest), indent: "          ")
                out += wrap("    rx  \(guest.hasPrefix("no NIC") ? "(no NIC sends)" : guest) \(arrow) " + walk(chain.filters.reversed(), direction: .rx, end: netdev), indent: "          ")
                for (index, filter) in chain.filters.enumerated() {
                    guard filter.filter.kind == .redirector, let indev = filter.filter.indev else { continue }
                    let queue = filter.filter.queue
                    if queue == .tx || queue == .all {
                        let rest = walk(Array(chain.filters[(index + 1)...]), direction: .tx, end: guest)
                        out += wrap("    \(filter.filter.id) injects \(indev)'s records as tx: \(arrow) \(rest)", indent: "          ")
                    }
                    if queue == .rx || queue == .all {
                        let rest = walk(Array(chain.filters[..<index].reversed()), direction: .rx, end: netdev)
                        out += wrap("    \(filter.filter.id) injects \(indev)'s records as rx: \(arrow) \(rest)", indent: "          ")
                    }
                }
            }
        }
        return out
    }

    /// `m0 copy -> redire0 skip -> NIC e0`, stopping at the first filter that steals.
    private func walk(_ filters: [FigureFilter], direction: FilterQueueDirection, end: String) -> String {
        var steps: [String] = []
        for (index, filter) in filters.enumerated() {
            let action = direction == .tx ? filter.tx : filter.rx
            if action == .steal {
                var text = "\(filter.filter.id) steal into \(filter.filter.outdev ?? "?"): the walk ends"
                let unreached = filters[(index + 1)...].map(\.filter.id)
                if !unreached.isEmpty {
                    text += " (\(unreached.joined(separator: ", ")) not reached)"
                }
                steps.append(text)
                return steps.joined(separator: " \(arrow) ")
            }
            steps.append("\(filter.filter.id) \(action.rawValue)")
        }
        steps.append(end)
        return steps.joined(separator: " \(arrow) ")
    }

    enum FilterQueueDirection { case tx, rx }

    // MARK: Legend

    private func legend() -> [String] {
        var entries: [(key: String, text: String)] = [
            ("netdev", "the host side of a guest NIC (a tap: the network); filters attach to it, in a list (F-1)"),
            ("guest VM", "the NIC at the other end: what the netdev sends is delivered there"),
            ("tx", "frames the netdev sends toward the guest: they walk the filter list head \(arrow) tail, down the left lane"),
            ("rx", "frames the guest sends toward the netdev: they walk the list tail \(arrow) head, up the right lane"),
            ("#n", "a filter's place in its netdev's list: command-line order unless position= or insert= move it"),
        ]
        let used = WalkAction.allCases.filter { action in
            model.hosts.contains { $0.chains.contains { $0.filters.contains { $0.tx == action || $0.rx == action } } }
        }
        entries += used.map { ($0.rawValue, $0.meaning) }
        if model.hosts.contains(where: { !$0.compares.isEmpty }) {
            entries.append(("colo-compare", "compares the primary guest's output (primary_in) with the secondary's (secondary_in): "
                + "a match releases the primary's packet on outdev, a mismatch asks for a checkpoint (C-10, C-14, C-18)"))
        }
        entries.append(("a \(arrow) b", "a pipe: records written into chardev a come out of chardev b (outdev writes, indev and _in read)"))
        if !notes.isEmpty {
            entries.append(("!n, in", "a lint error or warning (!n), or information (in), about what it follows; listed below"))
        }
        let keyWidth = (entries.map(\.key.count).max() ?? 0) + 2
        let indent = String(repeating: " ", count: keyWidth + 2)
        return wrap("Legend") + entries.flatMap { wrap("  " + padded($0.key, to: keyWidth) + $0.text, indent: indent) }
    }

    // MARK: Findings

    private func findings() -> [String] {
        guard !notes.isEmpty else { return [] }
        var out = wrap("Lint findings (lockstep lint)")
        for note in notes {
            let finding = note.finding
            var place = finding.host?.rawValue ?? "both hosts"
            if let argument = finding.argument { place += " arg \(argument.index)" }
            let head = "  \(note.marker) \(finding.severity) \(finding.rule.id) \(finding.rule.name) (\(place)): \(finding.message)"
            out += wrap(head, indent: "      ")
            if let hint = finding.hint {
                out += wrap("      hint: \(hint)", indent: "        ")
            }
        }
        return out
    }
}

/// `text` followed by spaces up to `width` (at least one space).
private func padded(_ text: String, to width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}
