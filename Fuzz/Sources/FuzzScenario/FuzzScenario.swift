import Scenarios
import FuzzSupport

/// The scenario language's parser (YAML through Yams, then Lockstep's reader) over arbitrary
/// text: it must answer with a scenario or file:line:column errors, never trap or hang.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    FuzzProcess.initialize(argv)
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenario(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: fuzzInputBytes(data, size), as: UTF8.self)
    do {
        _ = try ScenarioParser.parse(text, file: "fuzz.yaml")
    } catch {
        _ = error.description
    }
    return 0
}
