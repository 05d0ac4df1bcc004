import Testing
@testable import Fabric

/// The one duration parser, in both notations: `lockstep`'s options and scenario files.
@Suite("Duration parsing")
struct VirtualDurationParsingTests {
    @Test("both notations: a number with ns, us, ms or s, and 0 alone; beyond Int64 nanoseconds is refused", arguments: [
        VirtualDuration.Notation.commandLine, .scenarioFile,
    ])
    func shared(notation: VirtualDuration.Notation) {
        func parse(_ text: String) -> VirtualDuration? { VirtualDuration(parsing: text, notation: notation) }
        #expect(parse("250ms") == .milliseconds(250))
        #expect(parse("1.5s") == .milliseconds(1_500))
        #expect(parse("100us") == .microseconds(100))
        #expect(parse("10ns") == .nanoseconds(10))
        #expect(parse("1.5ns") == .nanoseconds(2))
        #expect(parse("0") == .zero)
        #expect(parse("-5s") == .seconds(-5))
        #expect(parse("10000000000s") == nil)
        #expect(parse("5min") == nil)
        #expect(parse("ms") == nil)
        #expect(parse("") == nil)
    }

    @Test("an option: a bare number is seconds; the number is what Double reads, without blanks or separators")
    func commandLine() {
        func parse(_ text: String) -> VirtualDuration? { VirtualDuration(parsing: text, notation: .commandLine) }
        #expect(parse("30") == .seconds(30))
        #expect(parse("2.5") == .milliseconds(2_500))
        #expect(parse("1e3ms") == .seconds(1))
        #expect(parse("+2s") == .seconds(2))
        #expect(parse(" 5s") == nil)
        #expect(parse("5 s") == nil)
        #expect(parse("20_000ms") == nil)
        #expect(parse("infs") == nil)
    }

    @Test("a scenario file: a unit is required but for 0; blanks and _ separators are allowed; plain decimal digits only")
    func scenarioFile() {
        func parse(_ text: String) -> VirtualDuration? { VirtualDuration(parsing: text, notation: .scenarioFile) }
        #expect(parse("5000") == nil)
        #expect(parse("0.0") == nil)
        #expect(parse(" 0 ") == .zero)
        #expect(parse("20000 ms") == .seconds(20))
        #expect(parse("\t20_000ms ") == .seconds(20))
        #expect(parse("\u{00A0}3s") == .seconds(3))
        #expect(parse("1e3ms") == nil)
        #expect(parse("+2s") == nil)
        #expect(parse("infs") == nil)
    }
}
