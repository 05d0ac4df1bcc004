import Foundation
import Testing
@testable import Deployment
@testable import COLORuntime
@testable import Scenarios
@testable import Teaching
import LockstepTestSupport

@Suite("Figure content: what the figure says about a topology")
struct FigureContentTests {
    /// Every id the command lines name: `id=` values and the ids other options refer to.
    private func ids(in commandLine: String) -> [String] {
        let keys = ["id", "netdev", "indev", "outdev", "primary_in", "secondary_in", "iothread", "notify_dev"]
        var found: [String] = []
        for word in commandLine.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            for element in word.split(separator: ",") {
                let parts = element.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2, keys.contains(parts[0]), !found.contains(parts[1]) {
                    found.append(parts[1])
                }
            }
        }
        return found
    }

    private func containsWord(_ text: String, _ word: String) -> Bool {
        let separators: Set<Character> = [" ", "\n", "=", ",", "(", ")", ".", ":", "|", "│", "┃"]
        var rest = Substring(text)
        while let range = rest.range(of: word) {
            let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
            let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
            if before.map({ separators.contains($0) }) ?? true, after.map({ separators.contains($0) }) ?? true {
                return true
            }
            rest = text[range.upperBound...]
        }
        return false
    }

    @Test("Every id in the patch mail's command lines appears in its figure (ASCII and Unicode)", arguments: FigureStyle.allCases)
    func seedIDs(style: FigureStyle) throws {
        let primary = try PatchMailCommandLines.primary()
        let secondary = try PatchMailCommandLines.secondary()
        let expected = ids(in: primary) + ids(in: secondary)
        #expect(expected.count >= 17)
        let figure = FigureRenderer.render(try FigureCase.patchMail.subject(), style: style)
        let drawing = figure.components(separatedBy: "\nPipes:").first ?? ""
        for id in expected {
            #expect(containsWord(drawing, id), "id \(id) is not in the drawing")
        }
    }

    @Test("Every id in every variant's command lines appears in its figure", arguments: FigureCase.allCases.filter { $0 != .reference })
    func variantIDs(_ figure: FigureCase) throws {
        let expected = ids(in: try figure.primaryText()) + ids(in: try figure.secondaryText())
        let text = FigureRenderer.render(try figure.subject())
        for id in expected {
            #expect(containsWord(text, id), "id \(id) is missing")
        }
    }

    @Test("The patch mail's lint findings are markers on what they concern: L019 on comp0, L002 on hn0, L044 on f2, L007 on the chardevs")
    func seedMarkers() throws {
        let subject = try FigureCase.patchMail.subject()
        func rules(on component: ComponentID) -> [LintRule] { subject.notes(on: component).map(\.finding.rule) }
        #expect(rules(on: .compare(.primary, id: "comp0")) == [.compareWithoutIOThread])
        #expect(rules(on: .netdev(.secondary, id: "hn0")) == [.unknownParameter])
        #expect(rules(on: .filter(.secondary, id: "f2")) == [.noRewriter])
        #expect(rules(on: .chardev(.primary, id: "mirror0")) == [.shortFormBoolean])
        #expect(rules(on: .host(.secondary)) == [.strayArgument])
        let text = FigureRenderer.render(subject)
        let notes = subject.notes
        let comp0 = try #require(notes.first { $0.finding.rule == .compareWithoutIOThread })
        #expect(text.contains("colo-compare comp0 \(comp0.marker)"))
        #expect(text.contains("\(comp0.marker) error L019 compare-without-iothread"))
        let stray = try #require(notes.first { $0.finding.rule == .strayArgument })
        #expect(text.contains("SECONDARY QEMU \(stray.marker)"))
        let info = try #require(notes.first { $0.finding.rule == .shortFormBoolean })
        #expect(info.marker.hasPrefix("i"))
        #expect(comp0.marker.hasPrefix("!"))
    }

    @Test("L040: a reversed redirector is drawn with its queue and a ! marker, and the walk shows where its records go")
    func reversedRedirector() throws {
        let subject = try FigureCase.reversedRedirector.subject()
        let note = try #require(subject.notes.first { $0.finding.rule == .redirectorDirection })
        #expect(note.component == .filter(.secondary, id: "f1"))
        #expect(note.marker.hasPrefix("!"))
        let text = FigureRenderer.render(subject)
        #expect(text.contains("#1 f1 \(note.marker)"))
        #expect(text.contains("\(note.marker) error L040 redirector-direction"))
        // R-5: with queue=rx the mirrored client traffic walks back out of the secondary's tap.
        #expect(text.contains("f1 injects red0's records as rx: -> netdev hn0"))
        #expect(!FigureRenderer.render(try FigureCase.reference.subject()).contains("injects red0's records as rx"))
    }

    @Test("F-3, F-5: the walk order lists each filter's action, tx head to tail, rx tail to head, up to the first steal")
    func walkOrder() throws {
        let text = FigureRenderer.render(FigureSubject.reference)
        #expect(text.contains("tx  netdev hn0 -> m0 copy -> redire0 skip -> redire1 skip -> NIC e0"))
        #expect(text.contains("rx  NIC e0 -> redire1 steal into compare0: the walk ends (redire0, m0 not reached)"))
        #expect(text.contains("redire0 injects compare_out's records as rx: -> m0 skip -> netdev hn0"))
        #expect(text.contains("rx  NIC e1000 -> rew0 rewrite -> f2 steal into red1: the walk ends (f1 not reached)"))
        #expect(text.contains("f1 injects red0's records as tx: -> f2 skip -> rew0 rewrite -> NIC e1000"))
    }

    @Test("F-1.6: position=head puts the extra filter-dump first; it dumps both ways and is numbered #1")
    func positionHead() throws {
        let text = FigureRenderer.render(try FigureCase.extraDump.subject())
        #expect(text.contains("#1 dump0"))
        #expect(text.contains("#2 m0"))
        #expect(text.contains("queue=all, position=head"))
        #expect(text.contains("tx: dump           rx: dump"))
        #expect(text.contains("tx  netdev hn0 -> dump0 dump -> m0 copy"))
        // T-4: released packets injected by redire0 pass the dump on their way out.
        #expect(text.contains("redire0 injects compare_out's records as rx: -> m0 skip -> dump0 dump -> netdev hn0"))
    }

    @Test("A missing rewriter: no filter-rewriter box, L044 marked on the secondary's last redirector")
    func noRewriter() throws {
        let subject = try FigureCase.noRewriter.subject()
        let text = FigureRenderer.render(subject)
        #expect(!text.contains("filter-rewriter\n") && !text.contains("filter-rewriter "))
        let note = try #require(subject.notes.first { $0.finding.rule == .noRewriter })
        #expect(note.component == .filter(.secondary, id: "f2"))
        #expect(text.contains("#2 f2 \(note.marker)"))
    }

    @Test("Two NICs with two compares: the hosts are stacked, each netdev has its column, each compare its pipes")
    func twoNICs() throws {
        let subject = try FigureCase.twoNICs.subject()
        let model = FigureModel(topology: subject.topology)
        let markers = FigureMarkers(notes: subject.notes, drawn: model.drawnComponents)
        let composer = FigureComposer(
            model: model, markers: markers, metrics: FigureMetrics(model: model, markers: markers),
            highlight: nil, glyphs: .ascii, maximumWidth: FigureRenderer.maximumWidth
        )
        #expect(composer.arrangement() == .stacked)
        #expect(FigureComposer(
            model: FigureModel(topology: .reference), markers: FigureMarkers(notes: [], drawn: []),
            metrics: FigureMetrics(model: FigureModel(topology: .reference), markers: FigureMarkers(notes: [], drawn: [])),
            highlight: nil, glyphs: .ascii, maximumWidth: FigureRenderer.maximumWidth
        ).arrangement() == .sideBySide)
        let text = FigureRenderer.render(subject)
        for compare in ["colo-compare comp0", "colo-compare comp1", "netdev hn1", "guest VM (2 of 2 NICs)", "NIC e1 (e1000)"] {
            #expect(text.contains(compare))
        }
        #expect(model.pipes.count == 8)
        #expect(FigureRenderer.draw(subject).unroutedLinks.isEmpty)
    }

    @Test("Different topologies draw differently")
    func variantsDiffer() throws {
        let figures = try FigureCase.allCases.map { FigureRenderer.render(try $0.subject()) }
        for (index, figure) in figures.enumerated() {
            for other in figures[(index + 1)...] {
                #expect(figure != other)
            }
        }
    }

    @Test("Component ids: every drawn component has a text form that parses back to it")
    func componentIDs() throws {
        for figure in FigureCase.allCases {
            let drawing = FigureRenderer.draw(try figure.subject())
            #expect(!drawing.components.isEmpty)
            for component in drawing.components {
                #expect(ComponentID(parsing: component.description) == component, "\(component)")
            }
        }
        #expect(ComponentID(parsing: "link/primary/mirror0/secondary/red0")
                == .link(server: ChardevEndpoint(host: .primary, chardev: "mirror0"), client: ChardevEndpoint(host: .secondary, chardev: "red0")))
        #expect(ComponentID(parsing: "primary/filter/") == nil)
        #expect(ComponentID(parsing: "tertiary") == nil)
        #expect(ComponentID(parsing: "primary/nic/-1") == nil)
    }

    @Test("Highlighting redraws the same figure with one component in heavy lines")
    func highlight() throws {
        let subject = FigureSubject.reference
        let plain = FigureRenderer.render(subject, style: .unicode)
        #expect(!plain.contains("┏") && !plain.contains("━"))
        let filter = FigureRenderer.render(subject, style: .unicode, highlight: .filter(.primary, id: "m0"))
        #expect(filter.split(separator: "\n").count == plain.split(separator: "\n").count)
        let heavyBoxes = filter.split(separator: "\n").filter { $0.contains("┏") }
        #expect(heavyBoxes.count == 1)
        let link = try #require(subject.topology.links.first { $0.server.chardev == "mirror0" })
        let pipe = FigureRenderer.render(subject, style: .unicode, highlight: .link(link))
        #expect(pipe.contains("━━ mirror0 → red0 ━━"))
        let ascii = FigureRenderer.render(subject, style: .ascii, highlight: .compare(.primary, id: "comp0"))
        #expect(ascii.contains("#########################"))
        let host = FigureRenderer.render(subject, style: .unicode, highlight: .host(.secondary))
        #expect(host.contains("┏━ SECONDARY QEMU") && host.contains("╔═ PRIMARY QEMU"))
    }

    @Test("Highlighting any component keeps every line's length: the layout does not move", arguments: [FigureCase.reference, .patchMail])
    func highlightKeepsLayout(_ figure: FigureCase) throws {
        let subject = try figure.subject()
        let drawing = FigureRenderer.draw(subject, style: .unicode)
        let plain = drawing.text.split(separator: "\n", omittingEmptySubsequences: false).map(\.count)
        for component in drawing.components {
            let text = FigureRenderer.render(subject, style: .unicode, highlight: component)
            #expect(text.split(separator: "\n", omittingEmptySubsequences: false).map(\.count) == plain, "\(component)")
            #expect(text != drawing.text, "highlighting \(component) changes nothing")
        }
    }

    @Test("Rendering a Topology directly lints it through its exported command lines")
    func topologyRender() {
        var topology = Topology.reference
        topology.secondary.objects.removeAll { $0.filter?.kind == .rewriter }
        let text = FigureRenderer.render(topology)
        #expect(text.contains("L044 no-rewriter"))
        #expect(text.contains("#2 f2 !1"))
        #expect(!FigureRenderer.render(Topology.reference).contains("Lint findings"))
    }
}
