import Foundation

extension FuzzResult {
    public func encoded() throws -> Data {
        try PrettyJSON.encode(self)
    }

    public static func decode(_ data: Data) throws -> FuzzResult {
        try JSONDecoder().decode(FuzzResult.self, from: data)
    }
}
