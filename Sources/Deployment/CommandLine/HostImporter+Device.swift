import Fabric

extension HostImporter {
    /// Device properties a NIC commonly has; an unknown key close to one of the network ones
    /// (`netdev`, `mac`, `id`) is reported, anything else is left to QEMU.
    private static let networkProperties = ["id", "netdev", "mac"]

    mutating func readDevice(_ value: String, at location: ArgumentLocation, next: QEMUArgument?) {
        guard let pairs = pairs(of: value, impliedKey: "driver", option: "device", at: location) else { return }
        guard let driver = pairs.value(for: "driver"), !driver.isEmpty else {
            finding(.missingParameter, at: location, key: "driver",
                    message: "-device has no driver: QEMU refuses it (parameter 'driver' is missing)",
                    hint: "start the value with the model, e.g. -device e1000,netdev=hn0")
            return
        }
        reportShortForms(pairs, allowed: nil, at: location)
        let isNIC = NICConfiguration.knownModels.contains(driver) || pairs.value(for: "netdev") != nil
        guard isNIC else {
            configuration.otherOptions.append(QEMUPassthroughOption(name: "device", value: value))
            return
        }
        var nic = NICConfiguration(model: driver)
        for pair in pairs where pair.key != "driver" {
            switch pair.key {
            case "id":
                guard QEMUIdentifier.isWellFormed(pair.value) else {
                    _ = checkID(pair.value, kind: "device", existing: false, at: location)
                    continue
                }
                if configuration.nics.contains(where: { $0.id == pair.value }) {
                    _ = checkID(pair.value, kind: "device", existing: true, at: location)
                    continue
                }
                nic.id = pair.value
            case "netdev":
                nic.netdev = pair.value
            case "mac":
                nic.mac = pair.value
            default:
                if let near = ClosestName.suggestion(for: pair.key, among: Self.networkProperties),
                   ClosestName.editDistance(pair.key, near) <= 2 {
                    finding(.unknownParameter, at: location, key: pair.key,
                            message: "\(driver) has no property '\(pair.key)': QEMU refuses it",
                            hint: "did you mean \(near)?")
                    continue
                }
                nic.options.removeAll { $0.key == pair.key }
                nic.options.append(QEMUKeyValue(pair.key, pair.value))
            }
        }
        configuration.nics.append(nic)
        sources.nicLocations.append(location)
    }
}
