/// A staged rollout of one version: stages of agents chosen by selector, each with a bake time and gates.
public struct RolloutPlan: Codable, Sendable, Equatable {
    /// Wire schema version.
    public var schemaVersion: Int
    /// Model name.
    public var model: String
    /// The version to roll out.
    public var version: String
    /// The version to compare against and roll back to (defaults to the `stable` alias).
    public var baseline: String?
    /// Stages in order.
    public var stages: [RolloutStage]

    /// Creates a plan.
    public init(schemaVersion: Int = DroverAPIInfo.schemaVersion, model: String, version: String, baseline: String? = nil, stages: [RolloutStage]) {
        self.schemaVersion = schemaVersion
        self.model = model
        self.version = version
        self.baseline = baseline
        self.stages = stages
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", model, version, baseline, stages
    }
}

/// One stage of a rollout.
public struct RolloutStage: Codable, Sendable, Equatable {
    /// Stage name, e.g. `canary`, `25%`, `all`.
    public var name: String
    /// Label selector for the agents in scope.
    public var selector: [String: String]
    /// Percentage (0–100] of the selected agents to move in this stage.
    public var percent: Double
    /// Seconds to bake before gates are judged.
    public var bakeSeconds: Int
    /// Gates that must all pass to proceed.
    public var gates: [Gate]

    /// Creates a stage.
    public init(name: String, selector: [String: String] = [:], percent: Double, bakeSeconds: Int, gates: [Gate] = []) {
        self.name = name
        self.selector = selector
        self.percent = percent
        self.bakeSeconds = bakeSeconds
        self.gates = gates
    }

    enum CodingKeys: String, CodingKey {
        case name, selector, percent, bakeSeconds = "bake_seconds", gates
    }
}

/// A pass/fail condition on a metric of the rollout's version.
public struct Gate: Codable, Sendable, Equatable {
    /// How the metric is judged.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// The canary's value against `threshold`.
        case absolute
        /// The canary's value relative to the baseline's: (canary − baseline) / baseline against `threshold`.
        case relative
        /// A Mann–Whitney U test of canary vs baseline samples: fails when significantly worse.
        case canaryVsBaseline = "canary_vs_baseline"
        /// For compressed versions: agreement with the parent (top-k overlap, NDCG delta) against `threshold`.
        case fidelity
    }

    /// Comparison operator: the gate passes when `value op threshold`.
    public enum Op: String, Codable, Sendable, CaseIterable {
        /// Less than.
        case lt
        /// Less than or equal.
        case le
        /// Greater than.
        case gt
        /// Greater than or equal.
        case ge
    }

    /// Metric name: `ndcg_at_10`, `roc_auc`, `ctr`, `error_rate`, `latency_p99_ms`, `psi_max`, …
    public var metric: String
    /// How it is judged.
    public var kind: Kind
    /// Pass condition operator.
    public var op: Op
    /// Pass threshold.
    public var threshold: Double
    /// Minimum samples before the gate may pass.
    public var minSamples: Int?

    /// Creates a gate.
    public init(metric: String, kind: Kind = .absolute, op: Op, threshold: Double, minSamples: Int? = nil) {
        self.metric = metric
        self.kind = kind
        self.op = op
        self.threshold = threshold
        self.minSamples = minSamples
    }

    enum CodingKeys: String, CodingKey {
        case metric, kind, op, threshold, minSamples = "min_samples"
    }
}
