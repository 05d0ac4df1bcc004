import Testing
@testable import Daemon

@Suite("serve: QMP input splitting")
struct MonitorParsingTests {
    @Test("Objects split across reads or sharing one come out whole; braces in strings do not count")
    func splitting() {
        var splitter = JSONObjectSplitter()
        #expect(splitter.feed(Array(#"{"execute": "a}"#.utf8)).isEmpty)
        let pieces = splitter.feed(Array(#""}  {"execute":"b"}"#.utf8) + [0x0a])
        #expect(pieces == [.object(Array(#"{"execute": "a}"}"#.utf8)), .object(Array(#"{"execute":"b"}"#.utf8))])
    }

    @Test("Garbage gives one error per run; an over-long object is abandoned")
    func errors() {
        var splitter = JSONObjectSplitter(limit: 16)
        #expect(splitter.feed(Array("]]] x\n".utf8)).count == 1)
        let long = splitter.feed(Array(#"{"execute": "0123456789abcdef"}"#.utf8))
        #expect(long.first == .error("JSON object longer than 16 bytes"))
    }

    @Test("Requests: command, string arguments, id echoed")
    func requests() throws {
        let request = try QMPProtocol.parse(Array(#"{"execute": "object-del", "arguments": {"id": "comp0"}, "id": [1, "x"]}"#.utf8)).get()
        #expect(request.command == "object-del")
        #expect(request.stringArguments == ["id": "comp0"])
        #expect(QMPProtocol.success(id: request.idJSON) == "{\"return\": {}, \"id\": [1,\"x\"]}\r\n")
        if case .success = QMPProtocol.parse(Array(#"{"arguments": {}}"#.utf8)) { Issue.record("no execute member") }
    }
}
