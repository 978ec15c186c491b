/// Interior bin edges of a numeric feature: value `x` falls in bin `i` when `edges[i-1] <= x < edges[i]`.
///
/// There are `edges.count + 1` bins and the outer two are open. The reference profile fixes the edges and
/// every agent counts its window over the same edges, so counts from many agents can simply be added.
public struct NumericBins: Sendable, Hashable, Codable {
    /// Strictly increasing finite interior edges.
    public let edges: [Double]
    /// Edges padded with +infinity to a size of 2^k − 1 for a branch-free binary search.
    private let padded: [Double]
    private let steps: [Int]

    /// Creates bins from strictly increasing finite edges (an empty list means one bin holding everything).
    public init(edges: [Double]) throws(StatsError) {
        for (i, e) in edges.enumerated() where !e.isFinite { throw .nonFinite("bin edges", index: i, value: e) }
        for i in edges.indices.dropFirst() where !(edges[i - 1] < edges[i]) {
            throw .invalidArgument(
                "bin edges",
                "must be strictly increasing, but edges[\(i - 1)] = \(edges[i - 1]) >= edges[\(i)] = \(edges[i])")
        }
        self.edges = edges
        var size = 1
        while size - 1 < edges.count { size *= 2 }
        padded = edges + [Double](repeating: .infinity, count: size - 1 - edges.count)
        var s: [Int] = []
        var step = size / 2
        while step >= 1 {
            s.append(step)
            step /= 2
        }
        steps = s
    }

    private enum CodingKeys: String, CodingKey { case edges }

    /// Decodes `{"edges": [...]}` and checks the edges.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(edges: container.decode([Double].self, forKey: .edges))
    }

    /// Encodes `{"edges": [...]}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(edges, forKey: .edges)
    }

    /// Equality of the edges.
    public static func == (lhs: NumericBins, rhs: NumericBins) -> Bool { lhs.edges == rhs.edges }

    /// Hashes the edges.
    public func hash(into hasher: inout Hasher) { hasher.combine(edges) }

    /// The number of bins (`edges.count + 1`).
    public var count: Int { edges.count + 1 }

    /// The bin of `x` (the number of edges `<= x`, NumPy `searchsorted(edges, x, side="right")`).
    @inline(__always)
    public func index(of x: Double) -> Int {
        padded.withUnsafeBufferPointer { p in
            var i = 0
            for step in steps where p[i + step - 1] <= x { i += step }
            return i
        }
    }

    /// Counts finite values per bin; throws on NaN or infinity.
    public func counts(_ values: UnsafeBufferPointer<Double>) throws(StatsError) -> [Int] {
        try requireFinite(values, "values")
        var c = [Int](repeating: 0, count: count)
        c.withUnsafeMutableBufferPointer { out in countUnchecked(values, into: out) }
        return c
    }

    /// Counts finite values per bin; throws on NaN or infinity.
    public func counts(_ values: [Double]) throws(StatsError) -> [Int] {
        try values.withUnsafeBufferPointer { (buffer) throws(StatsError) -> [Int] in try counts(buffer) }
    }

    /// Adds each value's bin to `out` without checking for NaN (NaN lands in bin 0).
    func countUnchecked(_ values: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Int>) {
        padded.withUnsafeBufferPointer { p in
            switch p.count {
            case 15:
                // The default 9 edges: four branch-free steps.
                for x in values {
                    var i = p[7] <= x ? 8 : 0
                    i += p[i + 3] <= x ? 4 : 0
                    i += p[i + 1] <= x ? 2 : 0
                    i += p[i] <= x ? 1 : 0
                    out[i] += 1
                }
            case 7:
                for x in values {
                    var i = p[3] <= x ? 4 : 0
                    i += p[i + 1] <= x ? 2 : 0
                    i += p[i] <= x ? 1 : 0
                    out[i] += 1
                }
            default:
                for x in values {
                    var i = 0
                    for step in steps where p[i + step - 1] <= x { i += step }
                    out[i] += 1
                }
            }
        }
    }

    /// Interior edges at the reference quantiles 1/bins … (bins−1)/bins (NumPy "linear"), duplicates removed.
    public static func quantileEdges(of values: [Double], bins: Int = 10) throws(StatsError) -> NumericBins {
        try values.withUnsafeBufferPointer { (buffer) throws(StatsError) -> NumericBins in
            try quantileEdges(of: buffer, bins: bins)
        }
    }

    /// Interior edges at the reference quantiles (NumPy "linear"), duplicates removed; selection, no full sort.
    public static func quantileEdges(of values: UnsafeBufferPointer<Double>, bins: Int = 10) throws(StatsError)
        -> NumericBins
    {
        guard bins >= 1 else { throw .invalidArgument("bins", "must be at least 1, got \(bins)") }
        if values.isEmpty { throw .empty("reference sample") }
        try requireFinite(values, "reference sample")
        let probabilities = (1..<bins).map { Double($0) / Double(bins) }
        let q = Quantiles.linear(unsorted: values, probabilities)
        return try NumericBins(edges: uniqueSorted(q))
    }

    /// Interior edges from an already sorted finite sample (ascending).
    public static func quantileEdges(sorted: UnsafeBufferPointer<Double>, bins: Int = 10) throws(StatsError)
        -> NumericBins
    {
        guard bins >= 1 else { throw .invalidArgument("bins", "must be at least 1, got \(bins)") }
        if sorted.isEmpty { throw .empty("reference sample") }
        let q = (1..<bins).map { Quantiles.linear(sorted: sorted, Double($0) / Double(bins)) }
        return try NumericBins(edges: uniqueSorted(q))
    }

    private static func uniqueSorted(_ q: [Double]) -> [Double] {
        var out: [Double] = []
        for x in q.sorted() where out.last != x { out.append(x + 0.0) }
        return out
    }
}
