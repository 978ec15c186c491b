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

/// One feature's window values for drift: its reference profile, the mergeable counts and a sample of values.
public struct DriftInput: Sendable, Equatable {
    /// The reference profile of the feature.
    public var profile: FeatureProfile
    /// Counts over the reference bins (numeric) or categories (categorical).
    public var counts: DriftCounts
    /// A bounded uniform sample of the window's numeric values.
    public var samples: [Double]

    /// Creates an input.
    public init(profile: FeatureProfile, counts: DriftCounts, samples: [Double]) {
        self.profile = profile
        self.counts = counts
        self.samples = samples
    }
}

/// What the agent needs from the statistics library: bin counting, drift and validation metrics.
///
/// A seam so windows can be tested alone; `DroverStatsStatistics` is the production implementation.
public protocol AgentStatistics: Sendable {
    /// Drift of features assessed together (false discoveries controlled across them): counts over the reference
    /// bins or categories, statistics and a verdict, one entry per input in order.
    func drift(_ inputs: [DriftInput]) -> [FeatureDrift]
    /// Classification metrics (roc_auc, accuracy, f1, log_loss, …) of scores against 0/1 labels.
    func classification(scores: [Double], labels: [Double]) -> [String: Double]
    /// Ranking metrics (ndcg_at_k, mrr, recall_at_k, hit_rate_at_k) over queries.
    func ranking(queries: [RankedQuery], k: Int) -> [String: Double]
}
