import Testing
@testable import Deployment
@testable import COLORuntime
@testable import Scenarios
@testable import Teaching

@Suite("Figure golden files (ASCII and Unicode)")
struct FigureGoldenTests {
    static let styles = FigureStyle.allCases

    @Test("The figure matches its golden file", arguments: FigureCase.allCases, FigureStyle.allCases)
    func golden(_ figure: FigureCase, style: FigureStyle) throws {
        let text = FigureRenderer.render(try figure.subject(), style: style)
        let difference = try FigureFiles.checkGolden(text, name: "\(figure.rawValue).\(style.rawValue)")
        #expect(difference == nil, "\(difference ?? "")")
    }

    @Test("Every line of every figure fits 120 columns", arguments: FigureCase.allCases, FigureStyle.allCases)
    func width(_ figure: FigureCase, style: FigureStyle) throws {
        let text = FigureRenderer.render(try figure.subject(), style: style)
        let lines = text.split(separator: "\n").map(String.init)
        let wide: [String] = lines.filter { $0.count > FigureRenderer.maximumWidth }
        #expect(wide.isEmpty, "too wide: \(wide.first ?? "")")
        if !FigureFiles.updating, let golden = try? FigureFiles.text("\(figure.rawValue).\(style.rawValue)", extension: "txt") {
            #expect(golden.split(separator: "\n").allSatisfy { $0.count <= FigureRenderer.maximumWidth })
        }
    }

    @Test("Every pipe of every figure is drawn as a path", arguments: FigureCase.allCases)
    func everyPipeRouted(_ figure: FigureCase) throws {
        let drawing = FigureRenderer.draw(try figure.subject())
        #expect(drawing.unroutedLinks.isEmpty)
    }

    @Test("The ASCII figure is plain ASCII; the Unicode one draws boxes with box-drawing characters", arguments: FigureCase.allCases)
    func glyphSets(_ figure: FigureCase) throws {
        let subject = try figure.subject()
        let ascii = FigureRenderer.render(subject, style: .ascii)
        let plain = ascii.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(plain)
        let unicode = FigureRenderer.render(subject, style: .unicode)
        #expect(unicode.contains("┌") && unicode.contains("╔") && unicode.contains("▼") && unicode.contains("▲"))
        #expect(ascii.split(separator: "\n").count == unicode.split(separator: "\n").count)
    }

    @Test("Drawing is deterministic: the same subject twice gives the same text", arguments: FigureCase.allCases)
    func deterministic(_ figure: FigureCase) throws {
        let first = FigureRenderer.render(try figure.subject(), style: .unicode)
        let second = FigureRenderer.render(try figure.subject(), style: .unicode)
        #expect(first == second)
    }
}
