/// The tool's version, printed by `lockstep --version` and written into replay files.
public enum LockstepVersion {
    public static let string = "0.1.0"
}
