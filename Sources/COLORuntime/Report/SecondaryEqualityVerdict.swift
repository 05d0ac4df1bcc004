extension InvariantVerdict {
    /// `secondary_equals_primary`: the secondary guest equalled the primary right after every
    /// checkpoint load (and the primary did not change while it stayed stopped).
    static func secondaryEqualsPrimary(after records: [CheckpointRecord]) -> InvariantVerdict {
        let loaded = records.filter { $0.secondaryEqualsPrimary != nil }
        let unequal = loaded.filter { $0.secondaryEqualsPrimary == false }
        if let first = unequal.first {
            return InvariantVerdict(name: "secondary_equals_primary", status: .violated,
                                    detail: "after checkpoint \(first.number) the secondary guest differs from the primary")
        }
        if loaded.isEmpty {
            return InvariantVerdict(name: "secondary_equals_primary", status: .notChecked, detail: "no checkpoint was loaded")
        }
        return InvariantVerdict(name: "secondary_equals_primary", status: .holds,
                                detail: "equal after each of \(loaded.count) checkpoint load(s)")
    }
}
