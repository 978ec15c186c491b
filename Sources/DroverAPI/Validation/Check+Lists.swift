extension Check {
    /// Rejects a list longer than `limit`, then validates every element under `field[index]`.
    public static func elements<T: NestedValidatable>(_ list: [T], atMost limit: Int, _ field: String)
        throws(ValidationError)
    {
        try count(list.count, atMost: limit, field)
        for index in list.indices {  // validates each element in place, without copying it out of the array
            do { try list[index].validate() } catch { throw error.under(index: index).under(field) }
        }
    }

    /// Runs `check` on every element of `list`; its errors name fields relative to the element (`""` for the
    /// element itself), and are reported under `field[index]`: `try Check.each(scores, "scores") { try
    /// Check.finite($0, "") }`.
    public static func each<S: Sequence>(
        _ list: S, _ field: String, _ check: (S.Element) throws(ValidationError) -> Void
    ) throws(ValidationError) {
        var index = 0
        for element in list {
            do { try check(element) } catch { throw error.under(index: index).under(field) }
            index += 1
        }
    }

    /// Runs `check` on every key and value of `map`; its errors name fields relative to the entry (`""` for the
    /// entry itself), and are reported under `field["key"]`.
    ///
    /// The first failing entry in key order is reported, so the error does not depend on the dictionary's order;
    /// valid maps are checked in storage order without sorting their keys.
    public static func entries<Value>(
        _ map: [String: Value], _ field: String, _ check: (String, Value) throws(ValidationError) -> Void
    ) throws(ValidationError) {
        for (key, value) in map {
            do { try check(key, value) } catch {
                for key in map.keys.sorted() {
                    do { try check(key, map[key]!) } catch { throw error.under(mapKey: key).under(field) }
                }
                throw error.under(mapKey: key).under(field)  // not reached: the sorted pass fails too
            }
        }
    }

    /// Rejects the first element whose `key` repeats an earlier one, at `field[index].keyField`, saying `message(key)`.
    public static func uniqueKeys<T>(
        _ list: [T], _ field: String, keyField: String, key: (T) -> String, message: (String) -> String
    ) throws(ValidationError) {
        guard list.count > 1 else { return }
        var seen = Set<String>(minimumCapacity: list.count)
        for (index, element) in list.enumerated() {
            let value = key(element)
            if !seen.insert(value).inserted {
                throw ValidationError(field: keyField, message: message(value)).under(index: index).under(field)
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

    /// Checks the `features` and `outputs` lists of a drift block or reference profile: at most 1,000 entries each,
    /// every entry valid, names unique within a list.
    static func featureLists<T: NestedValidatable>(
        features: [T], outputs: [T], name: (T) -> String
    ) throws(ValidationError) {
        try featureList(features, "features", name: name)
        try featureList(outputs, "outputs", name: name)
    }

    /// One list of `featureLists`, under `field`.
    private static func featureList<T: NestedValidatable>(
        _ list: [T], _ field: String, name: (T) -> String
    ) throws(ValidationError) {
        try elements(list, atMost: ValidationLimits.maxFeatures, field)
        try uniqueKeys(list, field, keyField: "name", key: name) {
            "duplicate feature name \"\($0)\"; each feature appears once"
        }
    }
}
