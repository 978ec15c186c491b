/// Chi-square test of homogeneity on a 2×K table (reference counts, current counts).
public struct ChiSquareResult: Sendable, Hashable, Codable {
    /// Pearson's statistic Σ (observed − expected)² / expected.
    public var statistic: Double
    /// Upper tail of the chi-square distribution with `dof` degrees of freedom.
    public var pValue: Double
    /// Degrees of freedom: (non-empty categories) − 1.
    public var dof: Int

    /// Creates a result.
    public init(statistic: Double, pValue: Double, dof: Int) {
        self.statistic = statistic
        self.pValue = pValue
        self.dof = dof
    }
}

/// Two-sample Kolmogorov–Smirnov test.
public struct KolmogorovSmirnovResult: Sendable, Hashable, Codable {
    /// D = sup |F_reference − F_current|.
    public var statistic: Double
    /// `kstwobign.sf(sqrt(n·m/(n+m))·D)`: the Kolmogorov limiting distribution.
    public var pValue: Double

    /// Creates a result.
    public init(statistic: Double, pValue: Double) {
        self.statistic = statistic
        self.pValue = pValue
    }
}

/// The drift statistics of one feature, definitions as in docs/statistics.md (and SciPy, see each function).
public enum DriftStatistics {
    /// The proportion used in place of an empty bin by `psi` (1e-4).
    public static let psiEpsilon = 1e-4

    // MARK: Counts (what agents send; the control plane sums them)

    /// Population stability index Σ (q − p)·ln(q/p) over bin proportions, a zero proportion replaced by `epsilon`.
    public static func psi(reference: [Int], current: [Int], epsilon: Double = psiEpsilon) throws(StatsError) -> Double
    {
        let (p, q) = try proportions(reference, current)
        var sum = 0.0
        for i in p.indices {
            let pi = p[i] == 0 ? epsilon : p[i]
            let qi = q[i] == 0 ? epsilon : q[i]
            sum += (qi - pi) * LibM.log(qi / pi)
        }
        return sum
    }

    /// Jensen–Shannon distance, base 2, of the raw bin proportions (SciPy `jensenshannon(p, q, base=2)`); in [0, 1].
    public static func jensenShannonDistance(reference: [Int], current: [Int]) throws(StatsError) -> Double {
        var (p, q) = try proportions(reference, current)
        // SciPy normalises the vectors it is given once more.
        let sp = p.reduce(0, +)
        let sq = q.reduce(0, +)
        p = p.map { $0 / sp }
        q = q.map { $0 / sq }
        var left = 0.0
        var right = 0.0
        for i in p.indices {
            let m = (p[i] + q[i]) / 2
            if p[i] > 0 { left += p[i] * LibM.log(p[i] / m) }
            if q[i] > 0 { right += q[i] * LibM.log(q[i] / m) }
        }
        let js = (left + right) / LibM.log(2)
        return Swift.max(0, js / 2).squareRoot()
    }

    /// Chi-square test of homogeneity of the 2×K table (SciPy `chi2_contingency(correction=False)`).
    ///
    /// Categories empty on both sides are left out (they carry no information); with fewer than two
    /// categories left the result is statistic 0, p-value 1, dof 0.
    public static func chiSquare(reference: [Int], current: [Int]) throws(StatsError) -> ChiSquareResult {
        try checkCounts(reference, current)
        var r: [Double] = []
        var c: [Double] = []
        for i in reference.indices where reference[i] + current[i] > 0 {
            r.append(Double(reference[i]))
            c.append(Double(current[i]))
        }
        let dof = r.count - 1
        if dof <= 0 { return ChiSquareResult(statistic: 0, pValue: 1, dof: 0) }
        let rowR = r.reduce(0, +)
        let rowC = c.reduce(0, +)
        let total = rowR + rowC
        var statistic = 0.0
        for i in r.indices {
            let column = r[i] + c[i]
            let er = rowR * column / total
            let ec = rowC * column / total
            statistic += (r[i] - er) * (r[i] - er) / er
            statistic += (c[i] - ec) * (c[i] - ec) / ec
        }
        return ChiSquareResult(
            statistic: statistic, pValue: SpecialFunctions.chiSquareSurvival(statistic, dof: dof), dof: dof)
    }

    /// PSI, JS distance and chi-square of two count vectors over the same bins or categories.
    public static func compare(reference: [Int], current: [Int]) throws(StatsError) -> CountComparison {
        CountComparison(
            nReference: reference.reduce(0, +),
            nCurrent: current.reduce(0, +),
            psi: try psi(reference: reference, current: current),
            jsDistance: try jensenShannonDistance(reference: reference, current: current),
            chiSquare: try chiSquare(reference: reference, current: current)
        )
    }

    /// Drift of numeric counts (e.g. fleet sums) against the reference profile's counts over the same bins.
    public static func compare(reference: NumericCounts, current: NumericCounts) throws(StatsError) -> CountComparison {
        guard reference.bins == current.bins else { throw .incompatible("numeric counts over different bin edges") }
        return try compare(reference: reference.counts, current: current.counts)
    }

    /// Drift of categorical counts (e.g. fleet sums) against the reference profile's counts.
    public static func compare(reference: CategoryCounts, current: CategoryCounts) throws(StatsError) -> CountComparison
    {
        guard reference.categories == current.categories else {
            throw .incompatible("category counts over different category lists")
        }
        return try compare(reference: reference.counts, current: current.counts)
    }

    // MARK: Raw samples (exact tests)

    /// Two-sample KS statistic and Kolmogorov-limit p-value; throws on empty input or NaN/Inf.
    public static func kolmogorovSmirnov(reference: [Double], current: [Double]) throws(StatsError)
        -> KolmogorovSmirnovResult
    {
        try checkSamples(reference, current)
        let pruned = reference.withUnsafeBufferPointer { pa in
            current.withUnsafeBufferPointer { pb in KolmogorovSmirnovPruned.statistic(pa, pb) }
        }
        if let pruned { return pruned }
        let a = reference.withUnsafeBufferPointer(RadixSort.sortedKeys)
        let b = current.withUnsafeBufferPointer(RadixSort.sortedKeys)
        return a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in ksOnKeys(pa, pb) } }
    }

    /// KS on samples already sorted ascending (finite, non-empty): a single branch-free merge pass.
    public static func kolmogorovSmirnov(
        sortedReference a: UnsafeBufferPointer<Double>, sortedCurrent b: UnsafeBufferPointer<Double>
    ) -> KolmogorovSmirnovResult {
        precondition(!a.isEmpty && !b.isEmpty, "KS needs two non-empty samples")
        return ksMerge(a, b)
    }

    /// Wasserstein-1 distance between the empirical distributions (SciPy `wasserstein_distance(r, c)`).
    public static func wasserstein(reference: [Double], current: [Double]) throws(StatsError) -> Double {
        let (a, b) = try sortedKeyPair(reference, current)
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in wassersteinOnKeys(pa, pb) }
        }
    }

    /// Wasserstein-1 on samples already sorted ascending (finite, non-empty): ∫ |F_r − F_c| in one branch-free
    /// merge pass.
    public static func wasserstein(
        sortedReference a: UnsafeBufferPointer<Double>, sortedCurrent b: UnsafeBufferPointer<Double>
    ) -> Double {
        precondition(!a.isEmpty && !b.isEmpty, "Wasserstein needs two non-empty samples")
        return wassersteinMerge(a, b)
    }

    /// Everything about one numeric feature from raw samples: quantile bins from the reference, PSI, JS, KS, W1.
    public static func compareSamples(
        reference: [Double], current: [Double], bins: Int = ReferenceProfileBuilder.defaultBins
    ) throws(StatsError) -> SampleComparison {
        let (a, b) = try sortedPair(reference, current)
        return try a.withUnsafeBufferPointer { (pa) throws(StatsError) -> SampleComparison in
            try b.withUnsafeBufferPointer { (pb) throws(StatsError) -> SampleComparison in
                try compareSorted(reference: pa, current: pb, bins: bins)
            }
        }
    }

    /// `compareSamples` on samples already sorted ascending (finite, non-empty).
    public static func compareSorted(
        reference a: UnsafeBufferPointer<Double>, current b: UnsafeBufferPointer<Double>,
        bins: Int = ReferenceProfileBuilder.defaultBins
    ) throws(StatsError) -> SampleComparison {
        if a.isEmpty { throw .empty("reference sample") }
        if b.isEmpty { throw .empty("current sample") }
        let edges = try NumericBins.quantileEdges(sorted: a, bins: bins)
        let rc = sortedCounts(a, edges)
        let cc = sortedCounts(b, edges)
        let counts = try compare(reference: rc, current: cc)
        let w = wasserstein(sortedReference: a, sortedCurrent: b)
        let spread = Quantiles.linear(sorted: a, 0.75) - Quantiles.linear(sorted: a, 0.25)
        return SampleComparison(
            bins: edges, referenceCounts: rc, currentCounts: cc, counts: counts,
            wasserstein: w, wassersteinNormalized: spread > 0 ? w / spread : nil,
            ks: kolmogorovSmirnov(sortedReference: a, sortedCurrent: b)
        )
    }

    // MARK: Helpers

    /// KS over sorted order-preserving keys (integer compares, no decoding).
    static func ksOnKeys(_ a: UnsafeBufferPointer<UInt64>, _ b: UnsafeBufferPointer<UInt64>) -> KolmogorovSmirnovResult
    {
        ksMerge(a, b)
    }

    /// Wasserstein-1 over sorted order-preserving keys, decoding values on the fly.
    static func wassersteinOnKeys(_ a: UnsafeBufferPointer<UInt64>, _ b: UnsafeBufferPointer<UInt64>) -> Double {
        wassersteinMerge(a, b)
    }

    /// KS over two sorted non-empty samples (values or keys): one branch-free merge pass.
    ///
    /// Walks the merged order; after the last copy of each distinct value it compares the ECDFs exactly in integers
    /// (|i·m − j·n|), and converts the best pair (i, j) the way SciPy does: i/n − j/m. Specialised per element type
    /// by the optimiser (both callers are in this module), so the generic form costs nothing on the hot path.
    @inline(__always)
    static func ksMerge<T: MergeElement>(_ a: UnsafeBufferPointer<T>, _ b: UnsafeBufferPointer<T>)
        -> KolmogorovSmirnovResult
    {
        let n = a.count
        let m = b.count
        var i = 0
        var j = 0
        var x = a[0]
        var y = b[0]
        var best = 0
        var bestI = 0
        var bestJ = 0
        for _ in 0..<(n + m) {
            let takeA = x <= y
            let v = takeA ? x : y
            i &+= takeA ? 1 : 0
            j &+= takeA ? 0 : 1
            let nextA = a[Swift.min(i, n - 1)]
            let nextB = b[Swift.min(j, m - 1)]
            x = i < n ? nextA : T.exhausted
            y = j < m ? nextB : T.exhausted
            let diff = Swift.abs(i &* m &- j &* n)
            let better = diff > best && Swift.min(x, y) != v
            best = better ? diff : best
            bestI = better ? i : bestI
            bestJ = better ? j : bestJ
        }
        let d = Swift.abs(Double(bestI) / Double(n) - Double(bestJ) / Double(m))
        let en = Double(n * m) / Double(n + m)
        return KolmogorovSmirnovResult(statistic: d, pValue: SpecialFunctions.kolmogorovSurvival(en.squareRoot() * d))
    }

    /// Wasserstein-1 over two sorted non-empty samples (values or keys): ∫ |F_r − F_c| in one branch-free merge pass.
    @inline(__always)
    static func wassersteinMerge<T: MergeElement>(_ a: UnsafeBufferPointer<T>, _ b: UnsafeBufferPointer<T>) -> Double {
        let n = a.count
        let m = b.count
        let invN = 1 / Double(n)
        let invM = 1 / Double(m)
        var i = 0
        var j = 0
        var x = a[0]
        var y = b[0]
        var total = 0.0
        // n + m − 1 steps: after the last one both ECDFs are 1 and nothing more is added.
        for _ in 0..<(n + m - 1) {
            let takeA = x <= y
            let v = takeA ? x : y
            i &+= takeA ? 1 : 0
            j &+= takeA ? 0 : 1
            let nextA = a[Swift.min(i, n - 1)]
            let nextB = b[Swift.min(j, m - 1)]
            x = i < n ? nextA : T.exhausted
            y = j < m ? nextB : T.exhausted
            let step = Swift.min(x, y).number - v.number
            total += Swift.abs(Double(i) * invN - Double(j) * invM) * step
        }
        return total
    }

    static func checkSamples(_ r: [Double], _ c: [Double]) throws(StatsError) {
        try r.withUnsafeBufferPointer { (p) throws(StatsError) in
            if p.isEmpty { throw .empty("reference sample") }
            try requireFinite(p, "reference sample")
        }
        try c.withUnsafeBufferPointer { (p) throws(StatsError) in
            if p.isEmpty { throw .empty("current sample") }
            try requireFinite(p, "current sample")
        }
    }

    static func sortedKeyPair(_ r: [Double], _ c: [Double]) throws(StatsError) -> ([UInt64], [UInt64]) {
        try checkSamples(r, c)
        return (r.withUnsafeBufferPointer(RadixSort.sortedKeys), c.withUnsafeBufferPointer(RadixSort.sortedKeys))
    }

    /// Bin counts of a sorted sample: one binary search per edge.
    static func sortedCounts(_ sorted: UnsafeBufferPointer<Double>, _ bins: NumericBins) -> [Int] {
        var counts: [Int] = []
        var previous = 0
        for e in bins.edges {
            // First index with value >= e (values < e go to the bins below).
            var lo = previous
            var hi = sorted.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if sorted[mid] < e { lo = mid + 1 } else { hi = mid }
            }
            counts.append(lo - previous)
            previous = lo
        }
        counts.append(sorted.count - previous)
        return counts
    }

    static func sortedPair(_ r: [Double], _ c: [Double]) throws(StatsError) -> ([Double], [Double]) {
        let a = try r.withUnsafeBufferPointer { (p) throws(StatsError) -> [Double] in
            try RadixSort.sortedFinite(p, "reference sample")
        }
        let b = try c.withUnsafeBufferPointer { (p) throws(StatsError) -> [Double] in
            try RadixSort.sortedFinite(p, "current sample")
        }
        return (a, b)
    }

    private static func checkCounts(_ reference: [Int], _ current: [Int]) throws(StatsError) {
        guard reference.count == current.count else {
            throw .lengthMismatch(
                "current counts (one per reference bin)", expected: reference.count, actual: current.count)
        }
        if reference.isEmpty { throw .empty("count vector") }
        for (i, c) in reference.enumerated() where c < 0 {
            throw .invalidArgument("reference counts", "count \(i) is negative")
        }
        for (i, c) in current.enumerated() where c < 0 {
            throw .invalidArgument("current counts", "count \(i) is negative")
        }
        if reference.allSatisfy({ $0 == 0 }) { throw .empty("reference counts") }
        if current.allSatisfy({ $0 == 0 }) { throw .empty("current counts") }
    }

    private static func proportions(_ reference: [Int], _ current: [Int]) throws(StatsError) -> ([Double], [Double]) {
        try checkCounts(reference, current)
        let sr = Double(reference.reduce(0, +))
        let sc = Double(current.reduce(0, +))
        return (reference.map { Double($0) / sr }, current.map { Double($0) / sc })
    }
}

/// PSI, JS distance and chi-square of one feature computed from counts.
public struct CountComparison: Sendable, Hashable, Codable {
    /// Values on the reference side.
    public var nReference: Int
    /// Values on the current side.
    public var nCurrent: Int
    /// Population stability index.
    public var psi: Double
    /// Jensen–Shannon distance (base 2).
    public var jsDistance: Double
    /// Chi-square test of homogeneity over the bins or categories.
    public var chiSquare: ChiSquareResult

    /// Creates a comparison.
    public init(nReference: Int, nCurrent: Int, psi: Double, jsDistance: Double, chiSquare: ChiSquareResult) {
        self.nReference = nReference
        self.nCurrent = nCurrent
        self.psi = psi
        self.jsDistance = jsDistance
        self.chiSquare = chiSquare
    }
}

/// Drift of one numeric feature from raw samples.
public struct SampleComparison: Sendable, Hashable, Codable {
    /// The reference quantile bins.
    public var bins: NumericBins
    /// Reference counts per bin.
    public var referenceCounts: [Int]
    /// Current counts per bin.
    public var currentCounts: [Int]
    /// PSI, JS and chi-square over the bins.
    public var counts: CountComparison
    /// Wasserstein-1 distance, in the feature's units.
    public var wasserstein: Double
    /// Wasserstein-1 divided by the reference's inter-quartile range (nil when that range is 0).
    public var wassersteinNormalized: Double?
    /// Two-sample Kolmogorov–Smirnov test.
    public var ks: KolmogorovSmirnovResult

    /// Creates a comparison.
    public init(
        bins: NumericBins, referenceCounts: [Int], currentCounts: [Int], counts: CountComparison, wasserstein: Double,
        wassersteinNormalized: Double?, ks: KolmogorovSmirnovResult
    ) {
        self.bins = bins
        self.referenceCounts = referenceCounts
        self.currentCounts = currentCounts
        self.counts = counts
        self.wasserstein = wasserstein
        self.wassersteinNormalized = wassersteinNormalized
        self.ks = ks
    }
}

/// An element of a sorted sample that the KS and Wasserstein merge passes walk: a `Double`, or the order-preserving
/// `UInt64` key `RadixSort` sorts by.
protocol MergeElement: Comparable {
    /// Greater than every element of a sample: what an exhausted side shows during the merge.
    static var exhausted: Self { get }
    /// The sample value this element stands for.
    var number: Double { get }
}

extension Double: MergeElement {
    static var exhausted: Double { .infinity }
    var number: Double { self }
}

extension UInt64: MergeElement {
    static var exhausted: UInt64 { .max }
    var number: Double { RadixSort.value(self) }
}
