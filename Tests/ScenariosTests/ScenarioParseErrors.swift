import Deployment
import COLORuntime
import Scenarios

/// The errors `ScenarioParser` reports for `text` read as `file` (none when it parses).
func scenarioParseErrors(_ text: String, file: String = "bad.yaml") -> [ScenarioFileError] {
    do {
        _ = try ScenarioParser.parse(text, file: file)
        return []
    } catch {
        return error.errors
    }
}
