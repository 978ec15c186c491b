#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One window's report from an agent: health, latency, errors, resources, validation, drift and incidents.
///
/// Every report has an `id` assigned before it leaves the agent; the control plane dedupes by it.
public struct Report: Codable, Sendable, Equatable {
    /// Wire schema version (currently 1).
    public var schemaVersion: Int
    /// Unique report id (ULID-like, assigned by the agent before spooling).
    public var id: String
    /// The reporting agent's id.
    public var agentID: String
    /// The model name the agent watches.
    public var model: String
    /// The model version served during the window.
    public var version: String
    /// The time window the report covers.
    public var window: TimeWindow
    /// Liveness, readiness and probe outcomes.
    public var health: HealthBlock
    /// Inference latency over the window (probes and live traffic).
    public var latencyMs: LatencyBlock?
    /// Errors over the window.
    public var errors: ErrorBlock
    /// Resource use of the agent and, when visible, the served process.
    public var resources: ResourceBlock?
    /// Validation metrics from the golden set.
    public var validation: MetricsBlock?
    /// Online metrics from live traffic joined with delayed labels.
    public var online: MetricsBlock?
    /// Drift against the version's reference profile, as mergeable counts plus statistics.
    public var drift: DriftBlock?
    /// What the agent had to drop (events, reports), counted, never silent.
    public var dropped: DroppedBlock
    /// Incidents during the window (failover, apply results, spool losses).
    public var events: [IncidentEvent]

    /// Creates a report.
    public init(
        schemaVersion: Int = DroverAPIInfo.schemaVersion, id: String, agentID: String, model: String, version: String,
        window: TimeWindow, health: HealthBlock, latencyMs: LatencyBlock? = nil, errors: ErrorBlock = .init(),
        resources: ResourceBlock? = nil, validation: MetricsBlock? = nil, online: MetricsBlock? = nil,
        drift: DriftBlock? = nil, dropped: DroppedBlock = .init(), events: [IncidentEvent] = []
    ) {
        self.schemaVersion = schemaVersion
        self.id = id
        self.agentID = agentID
        self.model = model
        self.version = version
        self.window = window
        self.health = health
        self.latencyMs = latencyMs
        self.errors = errors
        self.resources = resources
        self.validation = validation
        self.online = online
        self.drift = drift
        self.dropped = dropped
        self.events = events
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", id, agentID = "agent_id", model, version, window, health
        case latencyMs = "latency_ms", errors, resources, validation, online, drift, dropped, events
    }
}

/// A half-open time window `[start, end)`.
public struct TimeWindow: Codable, Sendable, Equatable {
    /// Window start (inclusive).
    public var start: Date
    /// Window end (exclusive).
    public var end: Date

    /// Creates a window.
    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }
}

/// Probe outcomes over a window.
public struct HealthBlock: Codable, Sendable, Equatable {
    /// Whether the server answered its liveness check at the end of the window.
    public var live: Bool
    /// Whether the model was ready at the end of the window.
    public var ready: Bool
    /// Probes sent in the window.
    public var probes: Int
    /// Probes that failed in the window.
    public var probeFailures: Int
    /// Consecutive failed probes at the end of the window.
    public var consecutiveFailures: Int

    /// Creates a health block.
    public init(live: Bool, ready: Bool, probes: Int = 0, probeFailures: Int = 0, consecutiveFailures: Int = 0) {
        self.live = live
        self.ready = ready
        self.probes = probes
        self.probeFailures = probeFailures
        self.consecutiveFailures = consecutiveFailures
    }

    enum CodingKeys: String, CodingKey {
        case live, ready, probes, probeFailures = "probe_failures", consecutiveFailures = "consecutive_failures"
    }
}

/// A fixed-bucket histogram: `counts.count == bounds.count + 1` (the last bucket is `> bounds.last`).
public struct Histogram: Codable, Sendable, Equatable {
    /// Upper bounds of the buckets, strictly increasing.
    public var bounds: [Double]
    /// Counts per bucket; one more than `bounds`.
    public var counts: [Int]

    /// Creates a histogram.
    public init(bounds: [Double], counts: [Int]) {
        self.bounds = bounds
        self.counts = counts
    }
}

/// Latency summary over a window, in milliseconds; the histogram is mergeable across agents.
public struct LatencyBlock: Codable, Sendable, Equatable {
    /// Number of timed requests.
    public var count: Int
    /// Median latency.
    public var p50: Double?
    /// 90th percentile.
    public var p90: Double?
    /// 99th percentile.
    public var p99: Double?
    /// Maximum latency.
    public var max: Double?
    /// Bucketed latencies (mergeable).
    public var histogram: Histogram

    /// Creates a latency block.
    public init(count: Int, p50: Double? = nil, p90: Double? = nil, p99: Double? = nil, max: Double? = nil, histogram: Histogram) {
        self.count = count
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.max = max
        self.histogram = histogram
    }
}

/// Error counts over a window.
public struct ErrorBlock: Codable, Sendable, Equatable {
    /// Total errors.
    public var count: Int
    /// Errors by kind (`http_5xx`, `timeout`, `refused`, `bad_response`, …): a bounded set of labels.
    public var byKind: [String: Int]

    /// Creates an error block.
    public init(count: Int = 0, byKind: [String: Int] = [:]) {
        self.count = count
        self.byKind = byKind
    }

    enum CodingKeys: String, CodingKey {
        case count, byKind = "by_kind"
    }
}

/// Resource use at the end of a window.
public struct ResourceBlock: Codable, Sendable, Equatable {
    /// The agent's resident set size.
    public var agentRSSBytes: Int?
    /// The agent's CPU time (user + system) during the window, in seconds.
    public var agentCPUSeconds: Double?
    /// The served process's resident set size, when its PID is known.
    public var serverRSSBytes: Int?
    /// The served process's CPU time during the window, in seconds.
    public var serverCPUSeconds: Double?

    /// Creates a resource block.
    public init(agentRSSBytes: Int? = nil, agentCPUSeconds: Double? = nil, serverRSSBytes: Int? = nil, serverCPUSeconds: Double? = nil) {
        self.agentRSSBytes = agentRSSBytes
        self.agentCPUSeconds = agentCPUSeconds
        self.serverRSSBytes = serverRSSBytes
        self.serverCPUSeconds = serverCPUSeconds
    }

    enum CodingKeys: String, CodingKey {
        case agentRSSBytes = "agent_rss_bytes", agentCPUSeconds = "agent_cpu_seconds"
        case serverRSSBytes = "server_rss_bytes", serverCPUSeconds = "server_cpu_seconds"
    }
}

/// Named metrics computed over `n` samples from one source (`golden_set` or `labels`).
public struct MetricsBlock: Codable, Sendable, Equatable {
    /// Where the samples came from: `golden_set`, `labels`.
    public var source: String
    /// Number of samples (records or queries) behind the metrics.
    public var n: Int
    /// Metric values by name: `roc_auc`, `accuracy`, `f1`, `log_loss`, `ndcg_at_10`, `mrr`, `ctr`, …
    public var metrics: [String: Double]

    /// Creates a metrics block.
    public init(source: String, n: Int, metrics: [String: Double]) {
        self.source = source
        self.n = n
        self.metrics = metrics
    }
}

/// What kind of feature a drift entry describes.
public enum FeatureKind: String, Codable, Sendable, CaseIterable {
    /// Real-valued: counts over the reference profile's quantile bins.
    case numeric
    /// Categorical: counts per category (plus `__other__`).
    case categorical
    /// A vector: centroid distance and share of drifted dimensions.
    case embedding
}

/// The per-feature verdict.
public enum DriftVerdict: String, Codable, Sendable, CaseIterable {
    /// No meaningful drift.
    case ok
    /// Drift above the warning threshold.
    case warn
    /// Drift: statistically significant and practically large.
    case drift
    /// Too few samples to decide.
    case insufficientData = "insufficient_data"
}

/// Mergeable counts: per bin for numeric features, per category for categorical ones.
public enum DriftCounts: Codable, Sendable, Equatable {
    /// Counts over the reference profile's bins, in bin order.
    case bins([Int])
    /// Counts per category label (the reference's top categories plus `__other__`).
    case categories([String: Int])

    /// The label for values outside the reference's top categories.
    public static let otherCategory = "__other__"

    /// Decodes a JSON array (bins) or object (categories).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let bins = try? container.decode([Int].self) {
            self = .bins(bins)
        } else {
            self = .categories(try container.decode([String: Int].self))
        }
    }

    /// Encodes as a JSON array (bins) or object (categories).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .bins(let value): try container.encode(value)
        case .categories(let value): try container.encode(value)
        }
    }

    /// The total number of values counted.
    public var total: Int {
        switch self {
        case .bins(let value): return value.reduce(0, +)
        case .categories(let value): return value.values.reduce(0, +)
        }
    }
}

/// Drift of one feature or output over a window.
public struct FeatureDrift: Codable, Sendable, Equatable {
    /// Feature or output name.
    public var name: String
    /// Numeric, categorical or embedding.
    public var kind: FeatureKind
    /// Number of values observed.
    public var n: Int
    /// Mergeable counts over the reference profile's bins or categories (absent for embeddings).
    public var counts: DriftCounts?
    /// Population stability index.
    public var psi: Double?
    /// Jensen–Shannon distance (base 2).
    public var jsDistance: Double?
    /// Wasserstein-1 distance, normalised by the reference's inter-quantile range when stated.
    public var wasserstein: Double?
    /// Kolmogorov–Smirnov statistic D.
    public var ksStatistic: Double?
    /// Chi-square statistic.
    public var chiSquare: Double?
    /// p-value of the feature's test (KS or chi-square), before multiple-testing correction.
    public var pValue: Double?
    /// Embedding centroid cosine distance.
    public var centroidDistance: Double?
    /// Embedding share of dimensions that drifted.
    public var driftedDimensionShare: Double?
    /// The verdict.
    public var verdict: DriftVerdict

    /// Creates a feature drift entry.
    public init(
        name: String, kind: FeatureKind, n: Int, counts: DriftCounts? = nil, psi: Double? = nil, jsDistance: Double? = nil,
        wasserstein: Double? = nil, ksStatistic: Double? = nil, chiSquare: Double? = nil, pValue: Double? = nil,
        centroidDistance: Double? = nil, driftedDimensionShare: Double? = nil, verdict: DriftVerdict
    ) {
        self.name = name
        self.kind = kind
        self.n = n
        self.counts = counts
        self.psi = psi
        self.jsDistance = jsDistance
        self.wasserstein = wasserstein
        self.ksStatistic = ksStatistic
        self.chiSquare = chiSquare
        self.pValue = pValue
        self.centroidDistance = centroidDistance
        self.driftedDimensionShare = driftedDimensionShare
        self.verdict = verdict
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, n, counts, psi, jsDistance = "js_distance", wasserstein, ksStatistic = "ks_statistic"
        case chiSquare = "chi_square", pValue = "p_value", centroidDistance = "centroid_distance"
        case driftedDimensionShare = "drifted_dimension_share", verdict
    }
}

/// Drift of inputs and outputs against one reference profile.
public struct DriftBlock: Codable, Sendable, Equatable {
    /// The reference profile's digest (`sha256:…`), so counts are only merged over the same bins.
    public var referenceProfile: String
    /// Input features.
    public var features: [FeatureDrift]
    /// Model outputs (scores).
    public var outputs: [FeatureDrift]

    /// Creates a drift block.
    public init(referenceProfile: String, features: [FeatureDrift], outputs: [FeatureDrift] = []) {
        self.referenceProfile = referenceProfile
        self.features = features
        self.outputs = outputs
    }

    enum CodingKeys: String, CodingKey {
        case referenceProfile = "reference_profile", features, outputs
    }
}

/// Counts of what the agent had to drop.
public struct DroppedBlock: Codable, Sendable, Equatable {
    /// Prediction events dropped (sampling excluded: only overflow and bad input).
    public var events: Int
    /// Reports dropped from the spool because it was full.
    public var reports: Int
    /// Labels that never matched a prediction within the TTL.
    public var labels: Int

    /// Creates a dropped block.
    public init(events: Int = 0, reports: Int = 0, labels: Int = 0) {
        self.events = events
        self.reports = reports
        self.labels = labels
    }

    /// Decodes, treating absent counts as zero.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        events = try c.decodeIfPresent(Int.self, forKey: .events) ?? 0
        reports = try c.decodeIfPresent(Int.self, forKey: .reports) ?? 0
        labels = try c.decodeIfPresent(Int.self, forKey: .labels) ?? 0
    }

    enum CodingKeys: String, CodingKey { case events, reports, labels }
}

/// Something that happened at a point in time: a failover, an applied or failed version change, a loss.
public struct IncidentEvent: Codable, Sendable, Equatable {
    /// Well-known incident kinds (others are allowed).
    public static let failover = "failover"
    /// A desired version was applied.
    public static let applyOK = "apply_ok"
    /// A desired version could not be applied.
    public static let applyFailed = "apply_failed"
    /// Reports were dropped because the spool was full.
    public static let spoolOverflow = "spool_overflow"

    /// When it happened.
    public var at: Date
    /// What happened.
    public var kind: String
    /// The version before, when relevant.
    public var from: String?
    /// The version after, when relevant.
    public var to: String?
    /// Why, for people.
    public var reason: String

    /// Creates an incident event.
    public init(at: Date, kind: String, from: String? = nil, to: String? = nil, reason: String) {
        self.at = at
        self.kind = kind
        self.from = from
        self.to = to
        self.reason = reason
    }
}

/// Several reports in one request, for agents catching up after an outage.
public struct ReportBatch: Codable, Sendable, Equatable {
    /// The reports.
    public var reports: [Report]

    /// Creates a batch.
    public init(reports: [Report]) { self.reports = reports }
}

/// The control plane's acknowledgement: which ids it stored now and which it had already.
public struct ReportAck: Codable, Sendable, Equatable {
    /// Report ids stored by this request.
    public var accepted: [String]
    /// Report ids already stored earlier (acknowledged, not counted again).
    public var duplicates: [String]

    /// Creates an acknowledgement.
    public init(accepted: [String], duplicates: [String]) {
        self.accepted = accepted
        self.duplicates = duplicates
    }
}
