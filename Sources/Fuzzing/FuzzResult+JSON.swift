import Foundation

extension FuzzResult {
    public func encoded() throws -> Data {
        try PrettyJSON.encode(self)
    }

    public static func decode(_ data: Data) throws -> FuzzResult {
        try JSONDecoder().decode(FuzzResult.self, from: data)
    }

    /// Reads a shard's result (`lockstep fuzz --format json`); a problem is one line naming the file.
    public static func load(path: String) throws(JSONFileProblem) -> FuzzResult {
        try JSONFileProblem.decode(FuzzResult.self, from: path, kind: "a fuzz result (lockstep fuzz --format json)")
    }
}
