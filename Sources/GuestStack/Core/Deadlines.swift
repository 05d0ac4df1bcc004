import Fabric

/// The earlier of two optional deadlines; nil when neither is set.
@inline(__always)
func earliest(_ a: VirtualTime?, _ b: VirtualTime?) -> VirtualTime? {
    guard let a else { return b }
    guard let b else { return a }
    return a < b ? a : b
}
