extension FilterRedirector {
    /// the checks of the two chardev properties, made before either chardev is
    /// looked at. The deployment lint asks here too.
    public static func checkChardevProperties(indev: String?, outdev: String?) throws(FilterSetupError) {
        if indev == nil && outdev == nil { throw .redirectorNeedsIndevOrOutdev }
        if let indev, indev == outdev { throw .redirectorIndevEqualsOutdev(indev) }
    }
}
