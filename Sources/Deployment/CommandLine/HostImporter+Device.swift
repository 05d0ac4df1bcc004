import Fabric

extension HostImporter {
    mutating func readDevice(_ value: String, at location: ArgumentLocation, next: QEMUArgument?) {
        guard let pairs = pairs(of: value, impliedKey: "driver", option: "device", acceptsJSON: true, at: location) else { return }
        guard let driver = pairs.value(for: "driver"), !driver.isEmpty else {
            finding(.missingParameter, at: location, key: "driver",
                    message: "-device has no driver: QEMU refuses it (parameter 'driver' is missing)",
                    hint: "start the value with the model, e.g. -device e1000,netdev=hn0",
                    claim: refused("Parameter 'driver' is missing"))
            return
        }
        reportShortForms(pairs, allowed: nil, at: location)
        let rawID = pairs.id
        if let rawID {
            guard checkID(rawID, kind: .device, existing: deviceIDs.contains(rawID), at: location) != nil else { return }
        }
        guard checkModel(driver, at: location) else { return }
        let isNIC = NICConfiguration.knownModels.contains(driver) || pairs.value(for: "netdev") != nil
        if let rawID { deviceIDs.insert(rawID) }
        guard isNIC else {
            configuration.otherOptions.append(QEMUPassthroughOption(name: "device", value: value))
            return
        }
        var nic = NICConfiguration(model: driver, id: rawID)
        let properties = QEMUNICProperties.properties(of: driver)
        for pair in pairs where pair.key != "driver" && pair.key != "id" {
            if let properties, !properties.contains(pair.key), !QEMUNICProperties.deviceKeys.contains(pair.key) {
                let suggestion = ClosestName.suggestion(for: pair.key, among: properties)
                finding(.unknownParameter, severity: version == .v7_2 ? nil : .warning, at: location, key: pair.key,
                        message: "\(driver) has no property '\(Excerpt.short(pair.key))' in QEMU 7.2: QEMU refuses it",
                        hint: suggestion.map { "did you mean \($0)?" } ?? "see qemu-system-x86_64 -device \(driver),help",
                        claim: version == .v7_2 ? refused("Property '\(driver).\(pair.key)' not found") : nil)
                continue
            }
            guard string(pair, at: location) != nil else { continue }
            switch pair.key {
            case "netdev":
                nic.netdev = pair.value
            case "mac":
                guard Self.isMACAddress(pair.value) else {
                    finding(.invalidValue, at: location, key: "mac",
                            message: "\(driver) mac='\(Excerpt.short(pair.value))' is not a MAC address: QEMU wants six two-digit hex numbers separated by ':' or '-'",
                            hint: "write mac=52:54:00:12:34:56",
                            claim: refused("Property '\(driver).mac' doesn't take value '\(pair.value)'"))
                    continue
                }
                nic.mac = pair.value
            default:
                nic.options.removeAll { $0.key == pair.key }
                nic.options.append(QEMUKeyValue(pair.key, pair.value))
            }
        }
        configuration.nics.append(nic)
        sources.nicLocations.append(location)
    }

    /// A model QEMU knows, plugged into a bus the command line provides. 7.2's list is complete
    /// (its binary's `-device help`); upstream has added models since, so there an unknown one
    /// is only a warning.
    private mutating func checkModel(_ driver: String, at location: ArgumentLocation) -> Bool {
        guard let bus = QEMUDeviceCatalog.busOfModel[driver] else {
            let suggestion = ClosestName.suggestion(for: driver, among: NICConfiguration.knownModels)
                ?? ClosestName.suggestion(for: driver, among: QEMUDeviceCatalog.allModels)
            finding(.invalidValue, severity: version == .v7_2 ? nil : .warning, at: location, key: "driver",
                    message: "'\(Excerpt.short(driver))' is not a device model QEMU 7.2 knows" + (version == .v7_2 ? "" : " (upstream may have added it)"),
                    hint: suggestion.map { "did you mean \($0)?" } ?? "see qemu-system-x86_64 -device help",
                    claim: version == .v7_2 ? refused("'\(driver)' is not a valid device model name") : nil)
            return version != .v7_2
        }
        // The default x86 machines (pc, q35) have PCI and ISA buses; USB only with -usb or a
        // USB host controller; no virtio bus (that is virtio-mmio, for microvm).
        let missing: String? = switch bus {
        case "usb-bus": hasUSBBus ? nil : "usb-bus"
        case "virtio-bus": "virtio-bus"
        default: nil
        }
        if let missing, !hasExplicitMachine {
            finding(.invalidValue, at: location, key: "driver",
                    message: "\(driver) plugs into a \(missing), which the default x86 machine does not have: QEMU refuses the device",
                    hint: missing == "usb-bus" ? "add -device qemu-xhci before it, or use a PCI model such as e1000" : "use the PCI model (e.g. virtio-net-pci)",
                    claim: refused("No '\(missing)' bus found for device '\(driver)'"))
            return false
        }
        return true
    }

    /// Six pairs of hex digits separated by ':' or '-', as QEMU's MAC property reads them.
    static func isMACAddress(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 17 else { return false }
        for (index, byte) in bytes.enumerated() {
            if index % 3 == 2 {
                guard byte == UInt8(ascii: ":") || byte == UInt8(ascii: "-") else { return false }
            } else {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20) else { return false }
            }
        }
        return true
    }
}
