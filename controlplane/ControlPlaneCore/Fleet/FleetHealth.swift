import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Fleet health over a time range, one group per model × version × zone (served as JSON by `/v1/fleet/health`).
public struct FleetHealth: Codable, Sendable, Equatable {
    /// Range start (inclusive, bucket-aligned).
    public var from: Date
    /// Range end (exclusive).
    public var to: Date
    /// The groups, ordered by model, version, zone.
    public var groups: [FleetHealthGroup]

    /// Creates fleet health.
    public init(from: Date, to: Date, groups: [FleetHealthGroup]) {
        self.from = from
        self.to = to
        self.groups = groups
    }
}

/// Health of one model × version × zone over the range, computed from merged rollups.
public struct FleetHealthGroup: Codable, Sendable, Equatable {
    /// Model.
    public var model: String
    /// Version.
    public var version: String
    /// Zone ("" when agents have no zone label).
    public var zone: String
    /// Reports merged.
    public var reports: Int
    /// Timed requests.
    public var requests: Int
    /// Errors.
    public var errors: Int
    /// errors / (requests + errors); nil without traffic.
    public var errorRate: Double?
    /// Errors by kind.
    public var errorsByKind: [String: Int]
    /// Probes and failures.
    public var probes: Int
    /// Failed probes.
    public var probeFailures: Int
    /// Failovers reported.
    public var failovers: Int
    /// Latency quantiles from the merged histogram.
    public var latencyMs: LatencyQuantiles?
    /// n-weighted means of golden-set validation metrics.
    public var validation: MetricMeans?
    /// n-weighted means of online metrics.
    public var online: MetricMeans?
    /// Drift per feature and output on merged counts vs the reference profile.
    public var drift: [FleetFeatureDrift]
    /// The reference profile the counts are over.
    public var referenceProfile: String?
    /// Reports whose histogram or drift counts could not be merged (other bins or profile).
    public var unmergeable: Int

    enum CodingKeys: String, CodingKey {
        case model, version, zone, reports, requests, errors, errorRate = "error_rate", errorsByKind = "errors_by_kind"
        case probes, probeFailures = "probe_failures", failovers, latencyMs = "latency_ms", validation, online, drift
        case referenceProfile = "reference_profile", unmergeable
    }
}

/// Latency quantiles in milliseconds, interpolated within histogram buckets.
public struct LatencyQuantiles: Codable, Sendable, Equatable {
    /// Requests behind the quantiles.
    public var count: Int
    /// Median.
    public var p50: Double
    /// 90th percentile.
    public var p90: Double
    /// 99th percentile.
    public var p99: Double

    /// Quantiles of a histogram (`counts.count == bounds.count + 1`); nil when empty.
    public init?(bounds: [Double], counts: [Int]) {
        let total = counts.reduce(0, +)
        guard total > 0, counts.count == bounds.count + 1, !bounds.isEmpty else { return nil }
        count = total
        p50 = Self.quantile(0.5, bounds: bounds, counts: counts, total: total)
        p90 = Self.quantile(0.9, bounds: bounds, counts: counts, total: total)
        p99 = Self.quantile(0.99, bounds: bounds, counts: counts, total: total)
    }

    /// The q-quantile: linear within the bucket holding rank q·total; the open last bucket reports its lower bound.
    static func quantile(_ q: Double, bounds: [Double], counts: [Int], total: Int) -> Double {
        let rank = q * Double(total)
        var cumulative = 0.0
        for (i, c) in counts.enumerated() where c > 0 {
            let next = cumulative + Double(c)
            if next >= rank {
                let lower = i == 0 ? min(0, bounds[0]) : bounds[i - 1]
                guard i < bounds.count else { return bounds[bounds.count - 1] }
                let upper = bounds[i]
                return lower + (upper - lower) * max(0, min(1, (rank - cumulative) / Double(c)))
            }
            cumulative = next
        }
        return bounds[bounds.count - 1]
    }
}

/// n-weighted metric means.
public struct MetricMeans: Codable, Sendable, Equatable {
    /// The source (`golden_set`, `labels`).
    public var source: String?
    /// The largest n behind a metric.
    public var n: Int
    /// Means by metric name.
    public var metrics: [String: Double]
}

/// Fleet-level drift of one feature: merged counts and the statistics computed on them.
public struct FleetFeatureDrift: Codable, Sendable, Equatable {
    /// Feature or output name.
    public var name: String
    /// `feature` or `output`.
    public var role: String
    /// Numeric or categorical.
    public var kind: FeatureKind
    /// Values counted across the fleet.
    public var n: Int
    /// Merged counts aligned to the reference (bins; or categories in reference order, `__other__` last).
    public var counts: [Int]
    /// Reference counts, same alignment; nil when no profile is stored.
    public var referenceCounts: [Int]?
    /// The statistics (nil until computed).
    public var score: DriftScore?

    enum CodingKeys: String, CodingKey {
        case name, role, kind, n, counts, referenceCounts = "reference_counts", score
    }
}

/// Drift statistics of merged counts against reference counts.
public struct DriftScore: Codable, Sendable, Equatable {
    /// Population stability index.
    public var psi: Double?
    /// Jensen–Shannon distance.
    public var jsDistance: Double?
    /// Chi-square statistic.
    public var chiSquare: Double?
    /// p-value of the test.
    public var pValue: Double?
    /// KS statistic from bins.
    public var ksStatistic: Double?
    /// p-value adjusted for testing many features at once (Benjamini–Hochberg).
    public var adjustedPValue: Double?
    /// Verdict.
    public var verdict: DriftVerdict
    /// Why, for people.
    public var reason: String?

    /// Creates a score.
    public init(
        psi: Double? = nil, jsDistance: Double? = nil, chiSquare: Double? = nil, pValue: Double? = nil,
        ksStatistic: Double? = nil, adjustedPValue: Double? = nil, verdict: DriftVerdict, reason: String? = nil
    ) {
        self.psi = psi
        self.jsDistance = jsDistance
        self.chiSquare = chiSquare
        self.pValue = pValue
        self.ksStatistic = ksStatistic
        self.adjustedPValue = adjustedPValue
        self.verdict = verdict
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case psi, jsDistance = "js_distance", chiSquare = "chi_square", pValue = "p_value", ksStatistic = "ks_statistic"
        case adjustedPValue = "adjusted_p_value", verdict, reason
    }
}

/// One feature's merged counts and reference counts, aligned, ready to score.
public struct DriftInput: Sendable, Equatable {
    /// Feature name.
    public var name: String
    /// Numeric or categorical.
    public var kind: FeatureKind
    /// Merged fleet counts.
    public var observed: [Int]
    /// Reference counts (same length).
    public var reference: [Int]

    /// Creates an input.
    public init(name: String, kind: FeatureKind, observed: [Int], reference: [Int]) {
        self.name = name
        self.kind = kind
        self.observed = observed
        self.reference = reference
    }
}

/// Scores merged counts against reference counts, all features of one group together (so false discoveries
/// can be controlled across them). The seam where DroverStats plugs in.
public protocol FleetDriftScorer: Sendable {
    /// One score per input (nil when it cannot be computed).
    func score(_ inputs: [DriftInput]) -> [DriftScore?]
}
