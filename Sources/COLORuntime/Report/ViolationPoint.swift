/// Where in a run's log a broken check became true, so an explained trace can stop there.
public struct ViolationPoint: Sendable, Hashable {
    /// How many entries of the log lead up to it, the last being the one that broke the check;
    /// nil when only the end of the run can tell.
    public var entryCount: Int?
    /// The check that broke, in one line.
    public var check: String
    /// What happened there, or why the check can only fail at the end.
    public var note: String

    public init(entryCount: Int?, check: String, note: String) {
        self.entryCount = entryCount
        self.check = check
        self.note = note
    }
}
