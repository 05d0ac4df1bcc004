/// The input bytes libFuzzer hands a target, copied into an array.
public func fuzzInputBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
}

/// Stops the run with `message` when a target's own check fails: a trap libFuzzer reports as a
/// crash, with the message printed first (`fatalError` keeps it in release builds).
public func fuzzCheck(_ holds: Bool, _ message: @autoclosure () -> String) {
    if !holds { fatalError(message()) }
}
