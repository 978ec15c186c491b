/// Streaming, mergeable counts of a numeric feature over fixed reference bins (what an agent sends per window).
///
/// Memory: `bins.count` integers (11 with the default profile) plus the edges. Merging two counts over the
/// same edges gives exactly the counts of the union, so the control plane adds agents' windows and computes
/// fleet drift on the sums.
public struct NumericCounts: Sendable, Hashable, Codable {
    /// The bins the counts are over.
    public let bins: NumericBins
    /// Count per bin (`bins.count` entries).
    public private(set) var counts: [Int]
    /// Values that were NaN or infinite and so were not counted in any bin.
    public private(set) var nonFinite: Int

    /// Empty counts over `bins`.
    public init(bins: NumericBins) {
        self.bins = bins
        counts = [Int](repeating: 0, count: bins.count)
        nonFinite = 0
    }

    /// Counts received from elsewhere (e.g. a report), checked against the bins.
    public init(bins: NumericBins, counts: [Int], nonFinite: Int = 0) throws(StatsError) {
        guard counts.count == bins.count else {
            throw .lengthMismatch("bin counts", expected: bins.count, actual: counts.count)
        }
        for (i, c) in counts.enumerated() where c < 0 {
            throw .invalidArgument("bin counts", "count \(i) is negative (\(c))")
        }
        self.bins = bins
        self.counts = counts
        self.nonFinite = nonFinite
    }

    /// The number of values counted in bins.
    public var total: Int { counts.reduce(0, +) }

    /// Counts one value (a NaN or infinity is tallied in `nonFinite` instead).
    @inline(__always)
    public mutating func add(_ x: Double) {
        if x.isFinite { counts[bins.index(of: x)] += 1 } else { nonFinite += 1 }
    }

    /// Counts a batch of values; the fast path for agents (hundreds of millions of values per second).
    public mutating func add(contentsOf values: UnsafeBufferPointer<Double>) {
        var bad = 0
        var acc = 0.0
        for x in values { acc += x - x }
        if acc != 0 { bad = values.reduce(0) { $0 + ($1.isFinite ? 0 : 1) } }
        let bins = self.bins
        counts.withUnsafeMutableBufferPointer { out in
            if bad == 0 {
                bins.countUnchecked(values, into: out)
            } else {
                for x in values where x.isFinite { out[bins.index(of: x)] += 1 }
            }
        }
        nonFinite += bad
    }

    /// Counts a batch of values.
    public mutating func add(contentsOf values: [Double]) {
        values.withUnsafeBufferPointer { add(contentsOf: $0) }
    }

    /// Adds another window's counts over the same bins.
    public mutating func merge(_ other: NumericCounts) throws(StatsError) {
        guard other.bins == bins else {
            throw .incompatible("numeric counts over different bin edges cannot be merged")
        }
        for i in counts.indices { counts[i] += other.counts[i] }
        nonFinite += other.nonFinite
    }

    /// The counts of the union of two windows over the same bins.
    public func merging(_ other: NumericCounts) throws(StatsError) -> NumericCounts {
        var copy = self
        try copy.merge(other)
        return copy
    }
}
