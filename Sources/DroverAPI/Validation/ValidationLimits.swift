/// Size limits the contracts enforce, so one bad or hostile document cannot exhaust the control plane.
public enum ValidationLimits {
    /// Features (or outputs) per drift block or reference profile.
    public static let maxFeatures = 1_000
    /// Bins per numeric feature, categories per categorical feature.
    public static let maxBins = 1_000
    /// Incident events per report.
    public static let maxEvents = 1_000
    /// Reports per batch.
    public static let maxBatchReports = 1_000
    /// Buckets in a latency histogram.
    public static let maxHistogramBuckets = 1_000
    /// The longest report window: one day.
    public static let maxWindowSeconds = 86_400.0
    /// Label pairs on an agent, selector, alert or lineage parameters.
    public static let maxLabels = 64
    /// Length of a label key.
    public static let maxLabelKeyLength = 128
    /// Length of a label value, annotation or free-text field such as `reason`.
    public static let maxLabelValueLength = 256
    /// Length of free text: reasons, error messages, annotations.
    public static let maxTextLength = 4_096
    /// Named metrics in one metrics map.
    public static let maxMetrics = 256
    /// Error kinds in one report.
    public static let maxErrorKinds = 64
    /// Stages in a rollout plan.
    public static let maxStages = 32
    /// Gates in one rollout stage.
    public static let maxGates = 32
    /// Tensor specs per version side (inputs or outputs) and features per tensor.
    public static let maxTensors = 1_000
    /// Dimensions in a tensor shape.
    public static let maxShapeRank = 16
    /// Aliases on a version.
    public static let maxAliases = 16
    /// Length of an artifact URI.
    public static let maxURILength = 2_048
    /// Scores or items in one prediction event.
    public static let maxScores = 10_000
    /// Dimensions of an embedding centroid.
    public static let maxEmbeddingDimensions = 65_536
    /// Longest rollout bake time: 30 days.
    public static let maxBakeSeconds = 30 * 86_400
    /// Per-layer norms in one training step.
    public static let maxLayerNorms = 1_000
}
