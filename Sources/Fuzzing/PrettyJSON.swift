import Foundation

/// The JSON every fuzzing file and report is written in: indented, keys sorted, so files diff
/// well and equal values give equal bytes.
enum PrettyJSON {
    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(value)
    }
}
