/// Drift of an embedding (vector) feature: centroid direction and the share of dimensions whose mean moved.
public struct EmbeddingDriftResult: Sendable, Hashable, Codable {
    /// 1 − cos(mean(reference), mean(current)); 0 = same direction, 1 = orthogonal, 2 = opposite.
    public var centroidCosineDistance: Double
    /// Share of dimensions that drifted (see `EmbeddingDrift.compare`).
    public var driftedDimensionShare: Double
    /// Number of dimensions that drifted.
    public var driftedDimensions: Int

    /// Creates a result.
    public init(centroidCosineDistance: Double, driftedDimensionShare: Double, driftedDimensions: Int) {
        self.centroidCosineDistance = centroidCosineDistance
        self.driftedDimensionShare = driftedDimensionShare
        self.driftedDimensions = driftedDimensions
    }
}

/// Embedding drift from two mergeable summaries.
public enum EmbeddingDrift {
    /// Compares summaries; a dimension drifted when its standardized mean difference |Δμ|/σ_ref ≥ `effectThreshold`
    /// (default 0.2, Cohen's "small") AND its z-test is significant after Benjamini–Hochberg across dimensions at `alpha`.
    public static func compare(
        reference: EmbeddingSummary, current: EmbeddingSummary, effectThreshold: Double = 0.2, alpha: Double = 0.05
    ) throws(StatsError) -> EmbeddingDriftResult {
        guard reference.dimension == current.dimension else {
            throw .incompatible("embedding summaries of dimension \(reference.dimension) and \(current.dimension)")
        }
        if reference.count == 0 { throw .empty("reference embedding summary") }
        if current.count == 0 { throw .empty("current embedding summary") }
        let mr = reference.mean
        let mc = current.mean
        var dot = 0.0
        var nr = 0.0
        var nc = 0.0
        for d in mr.indices {
            dot += mr[d] * mc[d]
            nr += mr[d] * mr[d]
            nc += mc[d] * mc[d]
        }
        let distance = (nr == 0 || nc == 0) ? 1 : 1 - dot / nr.squareRoot() / nc.squareRoot()
        let sd = reference.standardDeviation
        let scale = (1 / Double(reference.count) + 1 / Double(current.count)).squareRoot()
        var pValues: [Double] = []
        var effects: [Double] = []
        for d in mr.indices {
            let delta = Swift.abs(mc[d] - mr[d])
            if sd[d] > 0 {
                effects.append(delta / sd[d])
                pValues.append(2 * SpecialFunctions.normalSurvival(delta / (sd[d] * scale)))
            } else {
                effects.append(delta > 0 ? .infinity : 0)
                pValues.append(delta > 0 ? 0 : 1)
            }
        }
        let q = MultipleTesting.benjaminiHochberg(pValues)
        let drifted = mr.indices.filter { effects[$0] >= effectThreshold && q[$0] < alpha }.count
        return EmbeddingDriftResult(
            centroidCosineDistance: distance, driftedDimensionShare: Double(drifted) / Double(mr.count),
            driftedDimensions: drifted
        )
    }

    /// Centroid cosine distance of two sets of vectors, 1 − cos(mean(reference), mean(current)).
    public static func centroidCosineDistance(reference: [[Double]], current: [[Double]]) throws(StatsError) -> Double {
        try compare(reference: EmbeddingSummary(vectors: reference), current: EmbeddingSummary(vectors: current))
            .centroidCosineDistance
    }
}
