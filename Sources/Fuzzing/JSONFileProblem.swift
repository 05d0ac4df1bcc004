import Foundation
import Fabric

/// Why a JSON file of the fuzzer's (a replay file, a shard's result) cannot be used, in one line
/// that names the file and the field, never Foundation's or Decodable's own wording.
public struct JSONFileProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "\(path): \(reason)" }

    /// Reads and decodes `path` as `T`, a `kind` of file ("a replay file").
    static func decode<T: Decodable>(_ type: T.Type, from path: String, kind: String) throws(JSONFileProblem) -> T {
        let bytes: [UInt8]
        do {
            bytes = try InputFile.bytes(path)
        } catch {
            throw JSONFileProblem(path: path.isEmpty ? "''" : path, reason: "cannot read it: \(error.reason)")
        }
        guard !bytes.isEmpty else { throw JSONFileProblem(path: path, reason: "the file is empty; expected \(kind)") }
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            throw JSONFileProblem(path: path, reason: "not \(kind): \(Self.explain(error))")
        } catch {
            throw JSONFileProblem(path: path, reason: "not \(kind)")
        }
    }

    static func explain(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            "the field '\(field(context.codingPath + [key]))' is missing"
        case .typeMismatch(let type, let context):
            "the field '\(field(context.codingPath))' should be \(typeName(type))"
        case .valueNotFound(let type, let context):
            "the field '\(field(context.codingPath))' is null; expected \(typeName(type))"
        case .dataCorrupted(let context):
            context.codingPath.isEmpty ? "it is not valid JSON, or a number in it is out of range" : "the field '\(field(context.codingPath))' has a value out of range"
        @unknown default:
            "it does not have the expected fields"
        }
    }

    private static func field(_ path: [any CodingKey]) -> String {
        path.isEmpty ? "(the whole file)" : path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            .replacingOccurrences(of: ".[", with: "[")
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is UInt64.Type, is Int64.Type, is UInt32.Type: "a whole number"
        case is Double.Type: "a number"
        default: type is any Collection.Type ? "a list" : "an object"
        }
    }
}
