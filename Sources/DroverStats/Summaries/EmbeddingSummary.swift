/// A streaming, mergeable summary of embedding vectors: count, per-dimension mean and spread (Welford / Chan).
///
/// Memory: 2 × `dimension` doubles. Merging equals the summary of the union (up to rounding).
public struct EmbeddingSummary: Sendable, Hashable, Codable {
    /// Vector length.
    public let dimension: Int
    /// Vectors added.
    public private(set) var count: Int
    /// Per-dimension mean (the centroid).
    public private(set) var mean: [Double]
    /// Per-dimension sum of squared deviations from the mean.
    public private(set) var sumOfSquaredDeviations: [Double]

    /// An empty summary of `dimension`-long vectors.
    public init(dimension: Int) throws(StatsError) {
        guard dimension >= 1 else { throw .invalidArgument("dimension", "must be at least 1, got \(dimension)") }
        self.dimension = dimension
        count = 0
        mean = [Double](repeating: 0, count: dimension)
        sumOfSquaredDeviations = mean
    }

    /// The summary of a batch of vectors (all of one length, finite).
    public init(vectors: [[Double]]) throws(StatsError) {
        guard let first = vectors.first else { throw .empty("embedding sample") }
        try self.init(dimension: first.count)
        for v in vectors { try add(v) }
    }

    /// Adds one vector; throws on a wrong length or a non-finite component.
    public mutating func add(_ vector: [Double]) throws(StatsError) {
        guard vector.count == dimension else {
            throw .lengthMismatch("embedding vector", expected: dimension, actual: vector.count)
        }
        for (i, x) in vector.enumerated() where !x.isFinite { throw .nonFinite("embedding vector", index: i, value: x) }
        count += 1
        let n = Double(count)
        for d in 0..<dimension {
            let delta = vector[d] - mean[d]
            mean[d] += delta / n
            sumOfSquaredDeviations[d] += delta * (vector[d] - mean[d])
        }
    }

    /// Adds another summary of the same dimension (Chan et al. parallel update).
    public mutating func merge(_ other: EmbeddingSummary) throws(StatsError) {
        guard other.dimension == dimension else {
            throw .incompatible("embedding summaries of dimension \(dimension) and \(other.dimension) cannot be merged")
        }
        guard other.count > 0 else { return }
        guard count > 0 else {
            self = other
            return
        }
        let na = Double(count)
        let nb = Double(other.count)
        let n = na + nb
        for d in 0..<dimension {
            let delta = other.mean[d] - mean[d]
            mean[d] += delta * nb / n
            sumOfSquaredDeviations[d] += other.sumOfSquaredDeviations[d] + delta * delta * na * nb / n
        }
        count += other.count
    }

    /// Per-dimension population standard deviation (ddof = 0).
    public var standardDeviation: [Double] {
        guard count > 0 else { return [Double](repeating: .nan, count: dimension) }
        return sumOfSquaredDeviations.map { ($0 / Double(count)).squareRoot() }
    }
}
