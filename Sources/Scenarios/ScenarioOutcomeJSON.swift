import Fabric

/// Scenario outcomes as JSON (`lockstep run FILE --format json`, `lockstep test --format json`).
public enum ScenarioOutcomeJSON {
    public static func object(_ outcome: ScenarioOutcome, includesReport: Bool) -> String {
        var root = JSONLineWriter()
        root.add("scenario", outcome.name)
        root.add("file", outcome.file)
        root.add("passed", outcome.passed)
        root.add("errors", array: outcome.errors.map(JSONString.quote))
        root.add("expectations", array: outcome.results.map { result in
            var object = JSONLineWriter()
            object.add("expectation", result.expectation.description)
            object.add("line", result.expectation.line)
            object.add("passed", result.passed)
            object.add("actual", result.actual)
            return object.line
        })
        if let report = outcome.report {
            root.add("end_ns", report.endTime.nanoseconds)
            root.add("checkpoints", report.checkpoints.count)
            root.add("trace_hash", report.traceHashText)
            if includesReport { root.add("report", raw: report.json) }
        }
        return root.line
    }

    /// `lockstep test --format json`: every outcome, then the totals.
    public static func suite(_ outcomes: [ScenarioOutcome]) -> String {
        var root = JSONLineWriter()
        root.add("scenarios", outcomes.count)
        root.add("passed", outcomes.filter(\.passed).count)
        root.add("failed", outcomes.filter { !$0.passed }.count)
        root.add("results", array: outcomes.map { object($0, includesReport: false) })
        return root.line
    }
}
