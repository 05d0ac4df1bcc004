import Foundation
import Testing

/// docs/ARCHITECTURE.md draws the module graph; this keeps the drawing equal to Package.swift.
@Suite("Repository: the architecture page's module graph")
struct ArchitectureGraphTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("Every non-test target of Package.swift and its dependencies are the graph's lines, and nothing else")
    func graphEqualsPackage() throws {
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let page = try String(contentsOf: Self.root.appendingPathComponent("docs/ARCHITECTURE.md"), encoding: .utf8)
        let declared = PackageTargets.parse(manifest)
        let drawn = try GraphBlock.parse(page)
        #expect(!declared.isEmpty)
        for name in Set(declared.keys).union(drawn.keys).sorted() {
            #expect(declared[name] == drawn[name], "\(name): Package.swift says \(declared[name].map { $0.sorted() } ?? []), the page says \(drawn[name].map { $0.sorted() } ?? [])")
        }
    }
}

/// The regular (non-test, non-system) targets of a manifest written in this package's style.
enum PackageTargets {
    static func parse(_ manifest: String) -> [String: Set<String>] {
        // `let collections: Target.Dependency = .product(name: "Collections", ...)`
        var aliases: [String: String] = [:]
        for match in manifest.matches(of: /let (\w+): Target\.Dependency = \.product\(name: "(\w+)"/) {
            aliases[String(match.1)] = String(match.2)
        }
        var targets: [String: Set<String>] = [:]
        for start in manifest.matches(of: /\.(target|executableTarget)\(/) {
            let body = balanced(manifest[start.range.upperBound...])
            guard let name = body.firstMatch(of: /name: "(\w+)"/)?.1 else { continue }
            var dependencies: Set<String> = []
            if let list = body.range(of: "dependencies: [") {
                let items = balancedBrackets(body[list.upperBound...])
                for product in items.matches(of: /\.product\(name: "(\w+)"/) { dependencies.insert(String(product.1)) }
                let withoutProducts = items.replacing(/\.product\([^)]*\)/, with: "")
                for quoted in withoutProducts.matches(of: /"(\w+)"/) { dependencies.insert(String(quoted.1)) }
                for word in withoutProducts.matches(of: /\b([a-z]\w*)\b/) {
                    if let product = aliases[String(word.1)] { dependencies.insert(product) }
                }
            }
            targets[String(name)] = dependencies
        }
        return targets
    }

    /// The text up to the parenthesis that closes the one just opened.
    private static func balanced(_ text: Substring) -> Substring { closing(text, open: "(", close: ")") }
    private static func balancedBrackets(_ text: Substring) -> Substring { closing(text, open: "[", close: "]") }

    private static func closing(_ text: Substring, open: Character, close: Character) -> Substring {
        var depth = 1
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == open { depth += 1 }
            if text[index] == close { depth -= 1; if depth == 0 { return text[..<index] } }
            index = text.index(after: index)
        }
        return text
    }
}

/// The first code block after "## Module graph": lines `Target → A, B`.
enum GraphBlock {
    struct Missing: Error {}

    static func parse(_ page: String) throws -> [String: Set<String>] {
        guard let section = page.range(of: "## Module graph"),
              let open = page.range(of: "```\n", range: section.upperBound..<page.endIndex),
              let close = page.range(of: "```", range: open.upperBound..<page.endIndex) else { throw Missing() }
        var graph: [String: Set<String>] = [:]
        for line in page[open.upperBound..<close.lowerBound].split(separator: "\n") {
            let sides = line.split(separator: "→", maxSplits: 1, omittingEmptySubsequences: false)
            guard sides.count == 2 else { continue }
            let name = sides[0].trimmingCharacters(in: .whitespaces)
            graph[name] = Set(sides[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        return graph
    }
}
