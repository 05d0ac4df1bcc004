/// The checks completion makes on the properties alone, before any chardev is looked at. The
/// engine's completion, the COLO runtime, the command-line importer and the lint all ask here.
extension COLOCompareProperties {
    /// C-1.1: the required properties left unset, in the order QEMU's error lists them.
    public var unsetRequiredProperties: [String] {
        [("primary_in", primaryIn), ("secondary_in", secondaryIn), ("outdev", outdev), ("iothread", iothread)]
            .filter { $0.1 == nil }.map(\.0)
    }

    /// C-1.2: the first pair of primary_in, secondary_in and outdev that name one chardev, as
    /// property names (both inputs, then an input and outdev); nil when all three differ or one
    /// is unset.
    public var propertiesSharingAChardev: (String, String)? {
        guard let primaryIn, let secondaryIn, let outdev else { return nil }
        if primaryIn == secondaryIn { return ("primary_in", "secondary_in") }
        if primaryIn == outdev { return ("primary_in", "outdev") }
        if secondaryIn == outdev { return ("secondary_in", "outdev") }
        return nil
    }

    /// C-1.1 then C-1.2: the three chardevs of the compare's channels, or QEMU's refusal.
    public func channelChardevs() throws(COLOCompareSetupError) -> (primaryIn: String, secondaryIn: String, outdev: String) {
        guard let primaryIn, let secondaryIn, let outdev, iothread != nil else { throw .missingRequiredProperties }
        guard propertiesSharingAChardev == nil else { throw .inputsAndOutputMustDiffer }
        return (primaryIn, secondaryIn, outdev)
    }
}
