extension Check {
    /// Rejects a list longer than `limit`, then validates every element under `field[index]`.
    public static func elements<T: NestedValidatable>(_ list: [T], atMost limit: Int, _ field: String)
        throws(ValidationError)
    {
        try count(list.count, atMost: limit, field)
        for (index, element) in list.enumerated() { try element.validate(at: path(field, index)) }
    }

    /// Rejects the first element whose `key` repeats an earlier one, at `field[index].keyField`, saying `message(key)`.
    public static func uniqueKeys<T>(
        _ list: [T], _ field: String, keyField: String, key: (T) -> String, message: (String) -> String
    ) throws(ValidationError) {
        var seen = Set<String>()
        for (index, element) in list.enumerated() {
            let value = key(element)
            if !seen.insert(value).inserted {
                throw ValidationError(field: path(path(field, index), keyField), message: message(value))
            }
        }
    }

    /// Rejects more than `limit` bin edges, or edges that are not finite and strictly increasing.
    public static func edges(_ edges: [Double], atMost limit: Int, _ field: String)
        throws(ValidationError)
    {
        try count(edges.count, atMost: limit, field)
        try strictlyIncreasing(edges, field)
    }

    /// Rejects counts that are not one per bin (`boundaries + 1` entries, the boundaries listed in `boundaryField`,
    /// `note` saying what the extra one is) or that are negative.
    public static func binCounts(
        _ counts: [Int], boundaries: Int, boundaryField: String, note: String, _ field: String
    ) throws(ValidationError) {
        if counts.count != boundaries + 1 {
            throw ValidationError(
                field: field,
                message:
                    "must have \(boundaryField).count + 1 = \(boundaries + 1) entries (\(note)), got \(counts.count)"
            )
        }
        try nonNegativeCounts(counts, field)
    }

    /// Checks the `features` and `outputs` lists of a drift block or reference profile under `field`: at most
    /// 1,000 entries each, every entry valid, names unique within a list.
    static func featureLists<T: NestedValidatable>(
        features: [T], outputs: [T], _ field: String, name: (T) -> String
    ) throws(ValidationError) {
        for (key, list) in [("features", features), ("outputs", outputs)] {
            let listPath = path(field, key)
            try elements(list, atMost: ValidationLimits.maxFeatures, listPath)
            try uniqueKeys(list, listPath, keyField: "name", key: name) {
                "duplicate feature name \"\($0)\"; each feature appears once"
            }
        }
    }
}
