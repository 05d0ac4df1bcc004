import Foundation
import Testing
@testable import Deployment
@testable import Teaching

/// Command lines too big to draw: the figure draws the first parts, says what it left out, and
/// stays within its width and a few seconds.
@Suite("Figure of command lines too big to draw")
struct FigureBoundsTests {
    private static let reference = (
        primary: QEMUArgsExporter.arguments(for: Topology.reference.primary).joined(separator: "\n"),
        secondary: QEMUArgsExporter.arguments(for: Topology.reference.secondary).joined(separator: "\n")
    )

    private func draw(primary: String) throws -> (text: String, seconds: Double) {
        let began = ContinuousClock.now
        let subject = try FigureSubject.commandLines(primary: primary, secondary: Self.reference.secondary, title: "big")
        let text = FigureRenderer.draw(subject, style: .ascii).text
        let elapsed = ContinuousClock.now - began
        return (text, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    @Test("10,000 netdevs with NICs: 8 drawn per host, the rest counted under 'Not drawn'")
    func manyNetdevs() throws {
        let extra = (0..<10_000).map { "-netdev user,id=n\($0)\n-device e1000,netdev=n\($0)" }.joined(separator: "\n")
        let figure = try draw(primary: Self.reference.primary + "\n" + extra)
        #expect(figure.seconds < 30, "\(figure.seconds) s")
        #expect(figure.text.contains("Not drawn"))
        #expect(figure.text.contains("primary: 9993 netdevs, 9993 NICs not drawn"), "\(figure.text.prefix(4000))")
        #expect(figure.text.split(separator: "\n").allSatisfy { $0.count <= FigureRenderer.maximumWidth })
    }

    @Test("10,000 mirrors on one netdev with their chardevs: 16 filters drawn, findings listed up to 60")
    func manyMirrors() throws {
        let extra = (0..<10_000).map { "-chardev socket,id=c\($0),host=127.0.0.1,port=\(10_000 + $0),server=on,wait=off\n-object filter-mirror,id=x\($0),netdev=hn0,queue=tx,outdev=c\($0)" }
            .joined(separator: "\n")
        let figure = try draw(primary: Self.reference.primary + "\n" + extra)
        #expect(figure.seconds < 60, "\(figure.seconds) s")
        #expect(figure.text.contains("filters") && figure.text.contains("not drawn"))
        #expect(figure.text.contains("more lint findings not listed (lockstep lint lists them all)"))
        #expect(figure.text.utf8.count < 200_000)
    }

    @Test("A one-megabyte id is cut the same wherever it is drawn")
    func hugeID() throws {
        let id = "h" + String(repeating: "a", count: 1_000_000)
        let figure = try draw(primary: Self.reference.primary.replacing("id=hn0", with: "id=\(id)").replacing("netdev=hn0", with: "netdev=\(id)"))
        #expect(figure.seconds < 30)
        #expect(figure.text.utf8.count < 100_000, "\(figure.text.utf8.count) bytes")
        #expect(figure.text.contains("netdev haaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...1"))
    }
}
