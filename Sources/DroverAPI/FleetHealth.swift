#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Fleet health over a time range, one group per model × version × zone: what `GET /v1/fleet/health` serves.
///
/// The control plane computes it from merged rollups; `droverctl` and other clients decode the same type.
/// Decoding is lenient (every statistic has a default) so newer clients read older servers.
public struct FleetHealth: Codable, Sendable, Equatable {
    /// Range start (inclusive, bucket-aligned).
    public var from: Date?
    /// Range end (exclusive).
    public var to: Date?
    /// The groups, ordered by model, version, zone.
    public var groups: [FleetHealthGroup]

    /// Creates fleet health.
    public init(from: Date? = nil, to: Date? = nil, groups: [FleetHealthGroup]) {
        self.from = from
        self.to = to
        self.groups = groups
    }

    /// Decodes, treating an absent `groups` as empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        from = try c.decodeIfPresent(Date.self, forKey: .from)
        to = try c.decodeIfPresent(Date.self, forKey: .to)
        groups = try c.decodeIfPresent([FleetHealthGroup].self, forKey: .groups) ?? []
    }

    enum CodingKeys: String, CodingKey { case from, to, groups }
}

/// Health of one model × version × zone over the range, computed from merged rollups.
public struct FleetHealthGroup: Codable, Sendable, Equatable {
    /// Model.
    public var model: String
    /// Version.
    public var version: String
    /// Zone (`""` when agents have no zone label).
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
    /// Probes sent.
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
    /// The reference profile the counts are over: the version's stored profile when it has one.
    public var referenceProfile: String?
    /// Reports whose histogram or drift counts could not be merged (other bins, or other profiles when none is stored).
    public var unmergeable: Int
    /// Reports whose drift was computed against another profile than the version's stored one: kept, but their
    /// drift counts are excluded (their bins would not line up). Check the agents' profile cache.
    public var profileMismatches: Int
    /// Those reports per profile digest they carried; nil when there are none.
    public var mismatchedProfiles: [String: Int]?

    /// Creates a group.
    public init(
        model: String, version: String, zone: String = "", reports: Int = 0, requests: Int = 0, errors: Int = 0,
        errorRate: Double? = nil, errorsByKind: [String: Int] = [:], probes: Int = 0, probeFailures: Int = 0,
        failovers: Int = 0, latencyMs: LatencyQuantiles? = nil, validation: MetricMeans? = nil,
        online: MetricMeans? = nil, drift: [FleetFeatureDrift] = [], referenceProfile: String? = nil,
        unmergeable: Int = 0, profileMismatches: Int = 0, mismatchedProfiles: [String: Int]? = nil
    ) {
        self.model = model
        self.version = version
        self.zone = zone
        self.reports = reports
        self.requests = requests
        self.errors = errors
        self.errorRate = errorRate
        self.errorsByKind = errorsByKind
        self.probes = probes
        self.probeFailures = probeFailures
        self.failovers = failovers
        self.latencyMs = latencyMs
        self.validation = validation
        self.online = online
        self.drift = drift
        self.referenceProfile = referenceProfile
        self.unmergeable = unmergeable
        self.profileMismatches = profileMismatches
        self.mismatchedProfiles = mismatchedProfiles
    }

    /// Decodes leniently: only `model` and `version` are required; counts default to 0.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decode(String.self, forKey: .model)
        version = try c.decode(String.self, forKey: .version)
        zone = try c.decodeIfPresent(String.self, forKey: .zone) ?? ""
        reports = try c.decodeIfPresent(Int.self, forKey: .reports) ?? 0
        requests = try c.decodeIfPresent(Int.self, forKey: .requests) ?? 0
        errors = try c.decodeIfPresent(Int.self, forKey: .errors) ?? 0
        errorRate = try c.decodeIfPresent(Double.self, forKey: .errorRate)
        errorsByKind = try c.decodeIfPresent([String: Int].self, forKey: .errorsByKind) ?? [:]
        probes = try c.decodeIfPresent(Int.self, forKey: .probes) ?? 0
        probeFailures = try c.decodeIfPresent(Int.self, forKey: .probeFailures) ?? 0
        failovers = try c.decodeIfPresent(Int.self, forKey: .failovers) ?? 0
        latencyMs = try c.decodeIfPresent(LatencyQuantiles.self, forKey: .latencyMs)
        validation = try c.decodeIfPresent(MetricMeans.self, forKey: .validation)
        online = try c.decodeIfPresent(MetricMeans.self, forKey: .online)
        drift = try c.decodeIfPresent([FleetFeatureDrift].self, forKey: .drift) ?? []
        referenceProfile = try c.decodeIfPresent(String.self, forKey: .referenceProfile)
        unmergeable = try c.decodeIfPresent(Int.self, forKey: .unmergeable) ?? 0
        profileMismatches = try c.decodeIfPresent(Int.self, forKey: .profileMismatches) ?? 0
        mismatchedProfiles = try c.decodeIfPresent([String: Int].self, forKey: .mismatchedProfiles)
    }

    enum CodingKeys: String, CodingKey {
        case model, version, zone, reports, requests, errors, errorRate = "error_rate", errorsByKind = "errors_by_kind"
        case probes, probeFailures = "probe_failures", failovers, latencyMs = "latency_ms", validation, online, drift
        case referenceProfile = "reference_profile", unmergeable, profileMismatches = "profile_mismatches"
        case mismatchedProfiles = "mismatched_profiles"
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

    /// Creates quantiles.
    public init(count: Int, p50: Double, p90: Double, p99: Double) {
        self.count = count
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
    }

    /// Quantiles of a histogram (`counts.count == bounds.count + 1`); nil when empty.
    public init?(bounds: [Double], counts: [Int]) {
        let total = counts.reduce(0, +)
        guard total > 0, counts.count == bounds.count + 1, !bounds.isEmpty else { return nil }
        self.init(
            count: total, p50: Self.quantile(0.5, bounds: bounds, counts: counts, total: total),
            p90: Self.quantile(0.9, bounds: bounds, counts: counts, total: total),
            p99: Self.quantile(0.99, bounds: bounds, counts: counts, total: total))
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

/// n-weighted metric means from one source.
public struct MetricMeans: Codable, Sendable, Equatable {
    /// The source (`golden_set`, `labels`).
    public var source: String?
    /// The largest n behind a metric.
    public var n: Int
    /// Means by metric name.
    public var metrics: [String: Double]

    /// Creates means.
    public init(source: String? = nil, n: Int, metrics: [String: Double]) {
        self.source = source
        self.n = n
        self.metrics = metrics
    }

    /// Decodes, treating absent n and metrics as none.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        source = try c.decodeIfPresent(String.self, forKey: .source)
        n = try c.decodeIfPresent(Int.self, forKey: .n) ?? 0
        metrics = try c.decodeIfPresent([String: Double].self, forKey: .metrics) ?? [:]
    }

    enum CodingKeys: String, CodingKey { case source, n, metrics }
}

/// Fleet-level drift of one feature or output: merged counts and the statistics computed on them.
public struct FleetFeatureDrift: Codable, Sendable, Equatable {
    /// Feature or output name.
    public var name: String
    /// `feature` or `output`.
    public var role: String
    /// Numeric, categorical or embedding.
    public var kind: FeatureKind
    /// Values counted across the fleet.
    public var n: Int
    /// Merged counts aligned to the reference (bins; or categories in reference order, `__other__` last).
    public var counts: [Int]
    /// Reference counts, same alignment; nil when no profile is stored.
    public var referenceCounts: [Int]?
    /// The statistics (nil until computed).
    public var score: DriftScore?

    /// Creates a feature's fleet drift.
    public init(
        name: String, role: String = "feature", kind: FeatureKind, n: Int, counts: [Int] = [], referenceCounts: [Int]? = nil,
        score: DriftScore? = nil
    ) {
        self.name = name
        self.role = role
        self.kind = kind
        self.n = n
        self.counts = counts
        self.referenceCounts = referenceCounts
        self.score = score
    }

    /// Decodes leniently: only `name` and `kind` are required.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        role = try c.decodeIfPresent(String.self, forKey: .role) ?? "feature"
        kind = try c.decode(FeatureKind.self, forKey: .kind)
        n = try c.decodeIfPresent(Int.self, forKey: .n) ?? 0
        counts = try c.decodeIfPresent([Int].self, forKey: .counts) ?? []
        referenceCounts = try c.decodeIfPresent([Int].self, forKey: .referenceCounts)
        score = try c.decodeIfPresent(DriftScore.self, forKey: .score)
    }

    /// Population stability index, when computed.
    public var psi: Double? { score?.psi }
    /// Jensen–Shannon distance, when computed.
    public var jsDistance: Double? { score?.jsDistance }
    /// The verdict, when computed.
    public var verdict: DriftVerdict? { score?.verdict }

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
