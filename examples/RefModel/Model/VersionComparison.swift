import Foundation

/// How one version compares with the float32 baseline on a seeded sample (what `describe` prints).
public struct VersionComparison: Sendable, Equatable, Codable {
    /// The version id.
    public var version: String
    /// What the version is.
    public var summary: String
    /// `float32`, `int8` or `float32-sparse`.
    public var precision: String
    /// Parameters of the architecture.
    public var parameterCount: Int
    /// Parameters not pruned away.
    public var nonZeroParameterCount: Int
    /// Stored bytes.
    public var bytes: Int
    /// Stored bytes relative to the baseline.
    public var bytesRatio: Double
    /// Mean absolute score difference versus the baseline.
    public var meanAbsDiff: Double
    /// Largest absolute score difference versus the baseline.
    public var maxAbsDiff: Double
    /// Mean share of each query's top-10 items that the baseline also puts in its top 10.
    public var top10Overlap: Double
    /// ROC AUC against sampled click labels.
    public var rocAUC: Double
    /// Mean NDCG@10 against graded relevance.
    public var ndcgAt10: Double

    enum CodingKeys: String, CodingKey {
        case version, summary, precision, bytes
        case parameterCount = "parameter_count", nonZeroParameterCount = "non_zero_parameters"
        case bytesRatio = "bytes_ratio", meanAbsDiff = "mean_abs_diff", maxAbsDiff = "max_abs_diff"
        case top10Overlap = "top10_overlap", rocAUC = "roc_auc", ndcgAt10 = "ndcg_at_10"
    }

    /// Compares every version with the baseline on `queries` generated queries from `seed`.
    public static func compareAll(
        versions: [RefModelVersion] = RefModelCatalog.all, seed: UInt64 = 2026, queries: Int = 400
    ) -> [VersionComparison] {
        var generator = TrafficGenerator(seed: seed)
        var labels = SeededGenerator(seed: seed).derived(77)
        let sample = (0..<queries).map { _ in generator.nextQuery() }
        let clicks = sample.map { query in query.candidates.map { labels.bernoulli($0.clickProbability) } }
        let baseline = versions.first { $0.id == "1" } ?? RefModelCatalog.version("1")!
        let baseScores = sample.map { query in
            baseline.score(flat: query.flatRows, count: query.candidates.count).map(Double.init)
        }
        return versions.map { version in
            let scores = sample.map { query in
                version.score(flat: query.flatRows, count: query.candidates.count).map(Double.init)
            }
            var sumDiff = 0.0, maxDiff = 0.0, count = 0, overlap = 0.0, ndcg = 0.0
            for (q, query) in sample.enumerated() {
                for i in scores[q].indices {
                    let diff = abs(scores[q][i] - baseScores[q][i])
                    sumDiff += diff
                    maxDiff = max(maxDiff, diff)
                    count += 1
                }
                overlap += RankingMetrics.topKOverlap(scores[q], baseScores[q], k: 10)
                let ranked = query.candidates.indices.sorted { (scores[q][$0], -$0) > (scores[q][$1], -$1) }
                ndcg += RankingMetrics.ndcg(rankedRelevance: ranked.map { query.candidates[$0].relevance }, k: 10)
            }
            let auc = RankingMetrics.rocAUC(scores: scores.flatMap { $0 }, labels: clicks.flatMap { $0 })
            return VersionComparison(
                version: version.id, summary: version.summary, precision: version.precision,
                parameterCount: version.parameterCount, nonZeroParameterCount: version.nonZeroParameterCount,
                bytes: version.bytes, bytesRatio: Double(version.bytes) / Double(baseline.bytes),
                meanAbsDiff: sumDiff / Double(max(count, 1)), maxAbsDiff: maxDiff,
                top10Overlap: overlap / Double(max(sample.count, 1)), rocAUC: auc,
                ndcgAt10: ndcg / Double(max(sample.count, 1)))
        }
    }
}
