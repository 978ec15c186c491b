/// Result of a two-sided Mann–Whitney U test.
public struct MannWhitneyResult: Sendable, Hashable, Codable {
    /// U of the first sample (`x`).
    public var u: Double
    /// Two-sided p-value (tie-corrected normal approximation with continuity correction).
    public var pValue: Double
    /// The standardized statistic used for the p-value.
    public var z: Double

    /// Creates a result.
    public init(u: Double, pValue: Double, z: Double) {
        self.u = u
        self.pValue = pValue
        self.z = z
    }
}

/// Canary-vs-baseline comparison of two samples without assuming a distribution.
public enum MannWhitney {
    /// SciPy `mannwhitneyu(x, y, alternative="two-sided", method="asymptotic", use_continuity=True)`.
    public static func test(_ x: [Double], _ y: [Double]) throws(StatsError) -> MannWhitneyResult {
        if x.isEmpty { throw .empty("first sample") }
        if y.isEmpty { throw .empty("second sample") }
        try x.withUnsafeBufferPointer { (p) throws(StatsError) in try requireFinite(p, "first sample") }
        try y.withUnsafeBufferPointer { (p) throws(StatsError) in try requireFinite(p, "second sample") }
        let n1 = x.count
        let n2 = y.count
        let n = n1 + n2
        // Average ranks over the pooled sample, tracking tie group sizes.
        var pooled = [(value: Double, first: Bool)]()
        pooled.reserveCapacity(n)
        for v in x { pooled.append((v, true)) }
        for v in y { pooled.append((v, false)) }
        pooled.sort { $0.value < $1.value }
        var r1 = 0.0
        var tieTerm = 0.0
        var i = 0
        while i < n {
            var j = i
            while j + 1 < n && pooled[j + 1].value == pooled[i].value { j += 1 }
            let t = Double(j - i + 1)
            let rank = Double(i + j) / 2 + 1
            for k in i...j where pooled[k].first { r1 += rank }
            tieTerm += t * t * t - t
            i = j + 1
        }
        let d1 = Double(n1)
        let d2 = Double(n2)
        let dn = Double(n)
        let u1 = r1 - d1 * (d1 + 1) / 2
        let u2 = d1 * d2 - u1
        let u = Swift.max(u1, u2)
        let mu = d1 * d2 / 2
        let s = (d1 * d2 / 12 * ((dn + 1) - tieTerm / (dn * (dn - 1)))).squareRoot()
        let z = (u - mu - 0.5) / s
        let p = s > 0 ? Swift.min(1, 2 * SpecialFunctions.normalSurvival(z)) : 1
        return MannWhitneyResult(u: u1, pValue: p, z: z)
    }
}
