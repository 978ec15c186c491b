/// Builds a version's reference profile from a sample: quantile bin edges + counts, or top categories + `__other__`.
public enum ReferenceProfileBuilder {
    /// The default number of numeric bins (edges at the 0.1 … 0.9 quantiles).
    public static let defaultBins = 10
    /// The default number of categories kept before the rest is counted as `__other__`.
    public static let defaultMaxCategories = 50

    /// Quantile edges of the sample (NumPy "linear", duplicates removed) and the sample's counts over them.
    public static func numeric(_ sample: [Double], bins: Int = defaultBins) throws(StatsError) -> NumericCounts {
        try sample.withUnsafeBufferPointer { (buffer) throws(StatsError) -> NumericCounts in
            let edges = try NumericBins.quantileEdges(of: buffer, bins: bins)
            var counts = NumericCounts(bins: edges)
            counts.add(contentsOf: buffer)
            return counts
        }
    }

    /// The `maxCategories` most frequent values (ties broken by name) and the sample's counts, the rest as `__other__`.
    public static func categorical(_ sample: [String], maxCategories: Int = defaultMaxCategories) throws(StatsError)
        -> CategoryCounts
    {
        guard maxCategories >= 1 else {
            throw .invalidArgument("maxCategories", "must be at least 1, got \(maxCategories)")
        }
        if sample.isEmpty { throw .empty("reference sample") }
        var frequency: [String: Int] = [:]
        for v in sample { frequency[v, default: 0] += 1 }
        let top = frequency.filter { $0.key != CategoryCounts.other }
            .sorted {
                $0.value != $1.value
                    ? $0.value > $1.value : $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars)
            }
            .prefix(maxCategories)
            .map(\.key)
        var counts = try CategoryCounts(categories: top)
        counts.add(contentsOf: sample)
        return counts
    }
}
