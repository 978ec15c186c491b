import DroverAPI

/// One query of a ranking evaluation: the model's scores and the graded relevance of each item.
public struct RankedQuery: Sendable, Equatable {
    /// Scores, one per item.
    public var scores: [Double]
    /// Relevance, one per item (0 = not relevant).
    public var relevances: [Double]

    /// Creates a query.
    public init(scores: [Double], relevances: [Double]) {
        self.scores = scores
        self.relevances = relevances
    }
}

/// What the agent needs from the statistics library: bin counting, drift and validation metrics.
///
/// A seam so windows can be tested alone; `DroverStatsStatistics` is the production implementation.
public protocol AgentStatistics: Sendable {
    /// The bin of a numeric value over a reference profile's interior edges.
    func bin(of value: Double, edges: [Double]) -> Int
    /// Drift of one feature: counts over the reference bins or categories, statistics and a verdict.
    func drift(profile: FeatureProfile, counts: DriftCounts, samples: [Double]) -> FeatureDrift
    /// Classification metrics (roc_auc, accuracy, f1, log_loss, …) of scores against 0/1 labels.
    func classification(scores: [Double], labels: [Double]) -> [String: Double]
    /// Ranking metrics (ndcg_at_k, mrr, recall_at_k, hit_rate_at_k) over queries.
    func ranking(queries: [RankedQuery], k: Int) -> [String: Double]
}
