import Foundation
import Fabric
import Primary

/// One QMP command as received.
struct QMPRequest {
    var command: String
    /// The `arguments` member's string values (all the served commands need).
    var stringArguments: [String: String]
    /// The request's `id`, re-encoded, to echo in the reply.
    var idJSON: String?
}

/// The smallest QMP server side: greeting, capability negotiation, replies and errors, in the
/// wire format QEMU uses (one JSON object per line, CRLF).
enum QMPProtocol {
    static let greeting =
        #"{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": "lockstep serve"}, "capabilities": ["oob"]}}"#
        + "\r\n"

    enum ParseError: Error {
        case invalid(String)
    }

    static func parse(_ bytes: [UInt8]) -> Result<QMPRequest, ParseError> {
        guard let value = try? JSONSerialization.jsonObject(with: Data(bytes)),
              let object = value as? [String: Any] else {
            return .failure(.invalid("QMP input must be a JSON object"))
        }
        guard let command = object["execute"] as? String else {
            return .failure(.invalid("QMP input lacks member 'execute'"))
        }
        var idJSON: String?
        if let id = object["id"], let data = try? JSONSerialization.data(withJSONObject: id, options: [.fragmentsAllowed]) {
            idJSON = String(decoding: data, as: UTF8.self)
        }
        var arguments: [String: String] = [:]
        if let given = object["arguments"] as? [String: Any] {
            for (key, value) in given {
                if let text = value as? String { arguments[key] = text }
            }
        }
        return .success(QMPRequest(command: command, stringArguments: arguments, idJSON: idJSON))
    }

    /// `{"return": RAW}` with the request's id.
    static func success(_ rawJSON: String = "{}", id: String?) -> String {
        "{\"return\": \(rawJSON)\(idSuffix(id))}\r\n"
    }

    static func error(_ errorClass: String, _ description: String, id: String?) -> String {
        "{\"error\": {\"class\": \(JSONLineWriter.quote(errorClass)), \"desc\": \(JSONLineWriter.quote(description))}\(idSuffix(id))}\r\n"
    }

    private static func idSuffix(_ id: String?) -> String {
        id.map { ", \"id\": \($0)" } ?? ""
    }

    /// `query-chardev`'s return value.
    static func chardevList(_ chardevs: [(label: String, filename: String)]) -> String {
        "[" + chardevs.map {
            "{\"frame-opened\": true, \"filename\": \(JSONLineWriter.quote($0.filename)), \"label\": \(JSONLineWriter.quote($0.label))}"
        }.joined(separator: ", ") + "]"
    }
}
