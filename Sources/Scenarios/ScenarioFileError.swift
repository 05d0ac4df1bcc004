/// One problem in a scenario file, at the position of the node it concerns.
public struct ScenarioFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based, as editors count.
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `FILE:LINE:COLUMN: message`, the form compilers use so editors can jump to it.
    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// Every problem found in one scenario file (reading goes on after an error so that one run
/// shows them all), in file order.
public struct ScenarioFileErrors: Error, Sendable, Hashable, CustomStringConvertible {
    public var errors: [ScenarioFileError]

    public init(_ errors: [ScenarioFileError]) {
        self.errors = errors
    }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
