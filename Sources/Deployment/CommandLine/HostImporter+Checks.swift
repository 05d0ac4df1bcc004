import Fabric

/// How QEMU words a key it does not accept, which depends on the parser that reads the option.
enum UnknownKeyWording {
    /// QemuOpts (`-chardev`, legacy `-netdev`) and `-object` in key=value form.
    case invalidParameter
    /// QAPI's visitor (`-netdev stream/dgram`, every JSON form).
    case unexpected
    /// A `-device` property.
    case deviceProperty(model: String)

    func message(for key: String) -> String {
        switch self {
        case .invalidParameter: "Invalid parameter '\(key)'"
        case .unexpected: "Parameter '\(key)' is unexpected"
        case .deviceProperty(let model): "Property '\(model).\(key)' not found"
        }
    }
}

extension HostImporter {
    /// Reports keys not in `allowed`. An unknown short-form key followed by a stray word that
    /// completes a known key (`down` + `script=...`) is diagnosed as a value split by a space.
    /// Past `findingsPerArgument` unknown keys the rest are counted in one finding.
    mutating func checkKeys(
        _ pairs: [ParsedKeyValue],
        allowed: [String],
        what: String,
        wording: UnknownKeyWording,
        at location: ArgumentLocation,
        next: QEMUArgument?,
        accepts: (String) -> Bool = { _ in false }
    ) {
        reportShortForms(pairs.filter { allowed.contains($0.key) || accepts($0.key) }, allowed: nil, at: location)
        let allowedSet = Set(allowed)
        let unknown = pairs.filter { !allowedSet.contains($0.key) && !accepts($0.key) }
        for (count, pair) in unknown.enumerated() {
            guard count < Self.findingsPerArgument else {
                let rest = unknown.count - count
                // QEMU names whichever unknown key it meets first, in no fixed order.
                finding(.unknownParameter, at: location, key: pair.key,
                        message: "\(what) has \(rest) more unknown parameter\(rest == 1 ? "" : "s") after these (\(unknown.count) in all): QEMU refuses the argument, naming one of them",
                        hint: "check where this argument came from",
                        claim: QEMUClaim(.refused, .pattern(wording.message(for: "[^']*")), version: version))
                break
            }
            let shownKey = Excerpt.short(pair.key)
            if pair.shortForm, pair == pairs.last, let joined = joinSplitValue(pair, next: next, allowed: allowed) {
                finding(.unknownParameter, at: location, key: pair.written,
                        message: "\(what) has no parameter '\(pair.written)': a space split '\(joined)' in two, so QEMU reads '\(pair.written)' as \(pair.written)=on and refuses it",
                        hint: "write \(joined) (no space)",
                        claim: refused(wording.message(for: pair.key)))
                continue
            }
            let suggestion = ClosestName.suggestion(for: pair.key, among: allowed)
            let shown = pair.shortForm ? "'\(Excerpt.short(pair.written))' (read as \(shownKey)=\(pair.value))" : "'\(shownKey)'"
            finding(.unknownParameter, at: location, key: pair.key,
                    message: "\(what) has no parameter \(shown): QEMU refuses it (\(wording.message(for: shownKey)))",
                    hint: suggestion.map { "did you mean \($0)?" } ?? "remove it; accepted: \(allowed.filter { $0 != "qom-type" && $0 != "type" && $0 != "backend" && $0 != "driver" }.joined(separator: ", "))",
                    claim: refused(wording.message(for: pair.key)))
        }
    }

    private mutating func joinSplitValue(_ pair: ParsedKeyValue, next: QEMUArgument?, allowed: [String]) -> String? {
        guard let next, case .stray(let word) = next.kind, let equals = word.firstIndex(of: "=") else { return nil }
        let key = pair.written + word[..<equals]
        guard allowed.contains(key) else { return nil }
        let joined = key + word[equals...]
        explainedStrays[next.location.index] = joined
        return joined
    }

    mutating func reportStray(_ word: String, at location: ArgumentLocation) {
        // QEMU takes a word outside any option as -hda and opens it: a missing file stops it.
        let claim = refused("Could not open '\(word)'")
        if let joined = explainedStrays[location.index] {
            finding(.strayArgument, at: location,
                    message: "'\(Excerpt.short(word))' belongs to no option: it is the tail of '\(Excerpt.short(joined))' cut off by a space, and QEMU would try to open it as a disk image",
                    hint: "join it to the previous argument: \(Excerpt.short(joined))",
                    claim: claim)
            return
        }
        finding(.strayArgument, at: location,
                message: "'\(Excerpt.short(word))' follows no option, so QEMU takes it as a disk image and tries to open it",
                hint: word.contains("=") ? "a space probably split the previous option's value: join them" : "remove it, or give it an option such as -drive file=...",
                claim: claim)
    }

    /// Which of QEMU's id namespaces an id lives in, for its messages.
    enum IDKind: String {
        case netdev, chardev, object, device
    }

    /// Checks an id: present, well formed, unique among `existing`. Returns it if usable.
    mutating func checkID(_ id: String?, kind: IDKind, existing: Bool, at location: ArgumentLocation) -> String? {
        guard let id, !id.isEmpty else {
            finding(.missingParameter, at: location, key: "id",
                    message: kind == .chardev
                        ? "chardev has no id: QEMU refuses it (chardev: no id specified)"
                        : "\(kind) has no id: QEMU refuses it (parameter 'id' is missing)",
                    hint: "add id=NAME",
                    claim: refused(kind == .chardev ? "chardev: no id specified" : "Parameter 'id' is missing"))
            return nil
        }
        guard QEMUIdentifier.isWellFormed(id) else {
            finding(.invalidValue, at: location, key: "id",
                    message: "\(kind) id '\(Excerpt.short(id))' is not an identifier: it must start with a letter and use only letters, digits, '-', '.' and '_'",
                    hint: "rename it, e.g. \(Excerpt.short(Self.wellFormed(id)))",
                    claim: refused("Parameter 'id' expects an identifier"))
            return nil
        }
        guard !existing else {
            finding(.duplicateID, at: location, key: "id",
                    message: "\(kind) id '\(Excerpt.short(id))' is already used by an earlier \(kind): QEMU refuses the duplicate",
                    hint: "give each \(kind) its own id",
                    claim: refused("Duplicate ID '\(id)' for \(kind)"))
            return nil
        }
        return id
    }

    private static func wellFormed(_ id: String) -> String {
        let cleaned = String(id.unicodeScalars.filter { QEMUIdentifier.isWellFormed("a" + String($0)) })
        return QEMUIdentifier.isWellFormed(cleaned) ? cleaned : "x" + cleaned
    }

    /// Parses a boolean parameter, reporting a bad spelling or (JSON) a value of another type.
    mutating func bool(_ pair: ParsedKeyValue, what: String, at location: ArgumentLocation) -> Bool? {
        if let json = pair.json {
            guard case .bool(let flag) = json else {
                wrongJSONType(pair, expected: "boolean", at: location)
                return nil
            }
            return flag
        }
        guard let value = ValueParsing.bool(pair.value) else {
            finding(.invalidValue, at: location, key: pair.key,
                    message: "\(what) parameter \(pair.key)='\(Excerpt.short(pair.value))' is not a boolean: QEMU expects on or off",
                    hint: "write \(pair.key)=on or \(pair.key)=off",
                    claim: refused("Parameter '\(pair.key)' expects 'on' or 'off'"))
            return nil
        }
        return value
    }

    /// A string property given another JSON type is refused; key=value text always fits.
    mutating func string(_ pair: ParsedKeyValue, at location: ArgumentLocation) -> String? {
        if let json = pair.json, json.typeName != "string" {
            wrongJSONType(pair, expected: "string", at: location)
            return nil
        }
        return pair.value
    }

    /// An unsigned property as QEMU's visitors read it: decimal, 0x hex or 0 octal, no sign. In
    /// key=value form a bad value "expects a uint64 value"; in JSON a non-number "expects uint64".
    /// Past `limit` (uint32 properties) QEMU says "expects uint32_t".
    mutating func unsigned(_ pair: ParsedKeyValue, what: String, limit: UInt64 = .max, at location: ArgumentLocation) -> UInt64? {
        let parsed: UInt64?
        if let json = pair.json {
            guard case .number(let text) = json, let number = ValueParsing.qemuUnsigned(text) else {
                finding(.invalidValue, at: location, key: pair.key,
                        message: "\(what) parameter \(pair.key) is a JSON \(json.typeName): QEMU expects an unsigned integer",
                        hint: "write \"\(pair.key)\": 1000 (a number, no quotes)",
                        claim: Self.isNegativeNumber(json)
                            ? (limit == .max ? refused(matching: "Parameter '\(pair.key)' expects uint") : refused("Parameter '\(pair.key)' expects uint32_t"))
                            : refused("Parameter '\(pair.key)' expects uint64"))
                return nil
            }
            parsed = number
        } else {
            parsed = ValueParsing.qemuUnsigned(pair.value)
            guard parsed != nil else {
                finding(.invalidValue, at: location, key: pair.key,
                        message: "\(what) parameter \(pair.key)='\(Excerpt.short(pair.value))' is not an unsigned number",
                        hint: "write a whole number from 0 to \(limit) (0x hex is accepted)",
                        claim: refused("Parameter '\(pair.key)' expects a uint64 value"))
                return nil
            }
        }
        guard let value = parsed, value <= limit else {
            finding(.invalidValue, at: location, key: pair.key,
                    message: "\(what) parameter \(pair.key)='\(Excerpt.short(pair.value))' does not fit in 32 bits",
                    hint: "use at most \(limit)",
                    claim: refused("Parameter '\(pair.key)' expects uint32_t"))
            return nil
        }
        return value
    }

    private static func isNegativeNumber(_ json: JSONOptionValue) -> Bool {
        if case .number(let text) = json { return text.hasPrefix("-") }
        return false
    }

    mutating func wrongJSONType(_ pair: ParsedKeyValue, expected: String, at location: ArgumentLocation) {
        finding(.invalidValue, at: location, key: pair.key,
                message: "JSON parameter \(pair.key) is a \(pair.json?.typeName ?? "value"), but QEMU wants a \(expected) here",
                hint: expected == "boolean" ? "write \"\(pair.key)\": true or false (no quotes)" : "write \"\(pair.key)\" as a JSON \(expected)",
                claim: refused("Invalid parameter type for '\(pair.key)', expected: \(expected)"))
    }
}
