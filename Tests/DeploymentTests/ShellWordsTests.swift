import Testing
@testable import Deployment

@Suite("Shell-like splitting of pasted command lines")
struct ShellWordsTests {
    @Test("Quotes, escapes and backslash-newline continuations split as a shell would")
    func quotesAndContinuations() throws {
        let text = """
            qemu-system-x86_64 \\
              -name 'colo primary' \\
              -append "console=ttyS0 \\"quiet\\"" -drive file=a\\ b.qcow2
            """
        let words = try ShellWords.split(text).map(\.text)
        #expect(words == ["qemu-system-x86_64", "-name", "colo primary", "-append", "console=ttyS0 \"quiet\"", "-drive", "file=a b.qcow2"])
    }

    @Test("Comments run to the end of the line; words keep the line they start on")
    func commentsAndLines() throws {
        let words = try ShellWords.split("# primary\n-netdev tap,id=hn0 # the tap\n-S")
        #expect(words.map(\.text) == ["-netdev", "tap,id=hn0", "-S"])
        #expect(words.map(\.line) == [2, 2, 3])
    }

    @Test("Unbalanced quotes are refused with the line of the opening quote")
    func unbalancedQuote() {
        #expect(throws: ShellSyntaxError.unterminatedQuote(quote: "'", line: 2, word: "tap,id=hn0\n-S")) {
            try ShellWords.split("-netdev\n'tap,id=hn0\n-S")
        }
        do {
            _ = try QEMUArgsImporter.importHost("-object \"colo-compare,id=c", role: .primary)
            Issue.record("expected a shell syntax error")
        } catch {
            #expect(error.description.contains("unbalanced quotes"))
            #expect(error.description.contains("primary"))
        }
    }

    @Test("A trailing lone backslash is refused")
    func danglingBackslash() {
        #expect(throws: ShellSyntaxError.danglingBackslash(line: 1)) {
            try ShellWords.split("-S \\")
        }
    }
}

@Suite("QEMU key=value lists")
struct KeyValueListTests {
    @Test("Implied first key, ',,' escaping and last-wins repeated keys")
    func impliedKeyAndEscaping() throws {
        let pairs = try KeyValueList.parse("tap,id=hn0,script=/a,,b,id=hn1,", impliedKey: "type").get()
        #expect(pairs.map(\.key) == ["type", "id", "script", "id"])
        #expect(pairs.map(\.value) == ["tap", "hn0", "/a,b", "hn1"])
        #expect(KeyValueList.escape("/a,b") == "/a,,b")
    }

    @Test("Old boolean syntax: server, nowait and server=on read the same")
    func shortFormBooleans() throws {
        let old = try KeyValueList.parse("socket,id=c,server,nowait", impliedKey: "backend").get()
        #expect(old.map { "\($0.key)=\($0.value)" } == ["backend=socket", "id=c", "server=on", "wait=off"])
        #expect(old.filter(\.shortForm).map(\.written) == ["server", "nowait"])
        let new = try KeyValueList.parse("socket,id=c,server=on,wait=off", impliedKey: "backend").get()
        #expect(new.map(\.value) == old.map(\.value))
    }

    @Test("An element with an empty key is refused")
    func emptyKey() {
        #expect(throws: KeyValueListError.emptyKey(element: "=hn0")) {
            try KeyValueList.parse("filter-mirror,id=m0,=hn0", impliedKey: "qom-type").get()
        }
    }

    @Test("Suggestions: closest name by edit distance, or completion of a cut-off prefix")
    func suggestions() {
        #expect(ClosestName.suggestion(for: "netdevv", among: QEMUOptionTable.allNames(.v7_2)) == "netdev")
        #expect(ClosestName.suggestion(for: "objet", among: QEMUOptionTable.allNames(.v7_2)) == "object")
        #expect(ClosestName.suggestion(for: "down", among: ["script", "downscript"]) == "downscript")
        #expect(ClosestName.suggestion(for: "zzzzzz", among: ["netdev"]) == nil)
    }
}
