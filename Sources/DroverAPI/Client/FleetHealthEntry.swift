#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Fleet health over a time range as `GET /v1/fleet/health` serves it: one entry per model × version × zone.
///
/// Decoding is lenient (every statistic optional) so older clients read newer servers.
public struct FleetHealthSnapshot: Codable, Sendable, Equatable {
    /// Range start (inclusive).
    public var from: Date?
    /// Range end (exclusive).
    public var to: Date?
    /// The entries, ordered by model, version, zone.
    public var groups: [FleetHealthEntry]

    /// Creates a snapshot.
    public init(from: Date? = nil, to: Date? = nil, groups: [FleetHealthEntry]) {
        self.from = from
        self.to = to
        self.groups = groups
    }

    /// Decodes, treating an absent `groups` as empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        from = try c.decodeIfPresent(Date.self, forKey: .from)
        to = try c.decodeIfPresent(Date.self, forKey: .to)
        groups = try c.decodeIfPresent([FleetHealthEntry].self, forKey: .groups) ?? []
    }

    enum CodingKeys: String, CodingKey { case from, to, groups }
}

/// Health of one model × version × zone: traffic, latency, errors, validation metrics and drift per feature.
public struct FleetHealthEntry: Codable, Sendable, Equatable {
    /// Latency quantiles in milliseconds.
    public struct Latency: Codable, Sendable, Equatable {
        /// Requests behind the quantiles.
        public var count: Int?
        /// Median.
        public var p50: Double?
        /// 90th percentile.
        public var p90: Double?
        /// 99th percentile.
        public var p99: Double?

        /// Creates latency quantiles.
        public init(count: Int? = nil, p50: Double? = nil, p90: Double? = nil, p99: Double? = nil) {
            self.count = count
            self.p50 = p50
            self.p90 = p90
            self.p99 = p99
        }
    }

    /// Sample-weighted metric means from one source.
    public struct Metrics: Codable, Sendable, Equatable {
        /// `golden_set` or `labels`.
        public var source: String?
        /// Samples behind the metrics.
        public var n: Int?
        /// Metric values by name.
        public var metrics: [String: Double]

        /// Creates metrics.
        public init(source: String? = nil, n: Int? = nil, metrics: [String: Double]) {
            self.source = source
            self.n = n
            self.metrics = metrics
        }

        /// Decodes, treating absent metrics as empty.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            source = try c.decodeIfPresent(String.self, forKey: .source)
            n = try c.decodeIfPresent(Int.self, forKey: .n)
            metrics = try c.decodeIfPresent([String: Double].self, forKey: .metrics) ?? [:]
        }

        enum CodingKeys: String, CodingKey { case source, n, metrics }
    }

    /// Statistics of merged counts against the reference.
    public struct Score: Codable, Sendable, Equatable {
        /// Population stability index.
        public var psi: Double?
        /// Jensen–Shannon distance.
        public var jsDistance: Double?
        /// p-value adjusted across features (Benjamini–Hochberg).
        public var adjustedPValue: Double?
        /// The verdict.
        public var verdict: DriftVerdict?
        /// Why, for people.
        public var reason: String?

        /// Creates a score.
        public init(
            psi: Double? = nil, jsDistance: Double? = nil, adjustedPValue: Double? = nil, verdict: DriftVerdict? = nil,
            reason: String? = nil
        ) {
            self.psi = psi
            self.jsDistance = jsDistance
            self.adjustedPValue = adjustedPValue
            self.verdict = verdict
            self.reason = reason
        }

        enum CodingKeys: String, CodingKey {
            case psi, jsDistance = "js_distance", adjustedPValue = "adjusted_p_value", verdict, reason
        }
    }

    /// Fleet-level drift of one feature or output.
    public struct Drift: Codable, Sendable, Equatable {
        /// Feature or output name.
        public var name: String
        /// `feature` or `output`.
        public var role: String?
        /// Numeric or categorical.
        public var kind: FeatureKind?
        /// Values counted across the fleet.
        public var n: Int?
        /// The statistics and verdict.
        public var score: Score?

        /// Creates a drift entry.
        public init(name: String, role: String? = nil, kind: FeatureKind? = nil, n: Int? = nil, score: Score? = nil) {
            self.name = name
            self.role = role
            self.kind = kind
            self.n = n
            self.score = score
        }

        /// Population stability index, when computed.
        public var psi: Double? { score?.psi }
        /// Jensen–Shannon distance, when computed.
        public var jsDistance: Double? { score?.jsDistance }
        /// The verdict, when computed.
        public var verdict: DriftVerdict? { score?.verdict }
    }

    /// Model.
    public var model: String
    /// Version.
    public var version: String
    /// Zone (`""` when agents carry no zone label).
    public var zone: String
    /// Agents that reported, when the server counts them.
    public var agents: Int?
    /// Reports merged.
    public var reports: Int?
    /// Timed requests.
    public var requests: Int?
    /// Errors.
    public var errors: Int?
    /// errors / (requests + errors).
    public var errorRate: Double?
    /// Latency quantiles.
    public var latencyMs: Latency?
    /// Golden-set validation metrics.
    public var validation: Metrics?
    /// Online metrics from delayed labels.
    public var online: Metrics?
    /// Drift per feature and output.
    public var drift: [Drift]
    /// Failovers reported.
    public var failovers: Int?

    /// Creates an entry.
    public init(
        model: String, version: String, zone: String = "", agents: Int? = nil, reports: Int? = nil,
        requests: Int? = nil,
        errors: Int? = nil, errorRate: Double? = nil, latencyMs: Latency? = nil, validation: Metrics? = nil,
        online: Metrics? = nil, drift: [Drift] = [], failovers: Int? = nil
    ) {
        self.model = model
        self.version = version
        self.zone = zone
        self.agents = agents
        self.reports = reports
        self.requests = requests
        self.errors = errors
        self.errorRate = errorRate
        self.latencyMs = latencyMs
        self.validation = validation
        self.online = online
        self.drift = drift
        self.failovers = failovers
    }

    /// Decodes leniently: only `model` and `version` are required.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decode(String.self, forKey: .model)
        version = try c.decode(String.self, forKey: .version)
        zone = try c.decodeIfPresent(String.self, forKey: .zone) ?? ""
        agents = try c.decodeIfPresent(Int.self, forKey: .agents)
        reports = try c.decodeIfPresent(Int.self, forKey: .reports)
        requests = try c.decodeIfPresent(Int.self, forKey: .requests)
        errors = try c.decodeIfPresent(Int.self, forKey: .errors)
        errorRate = try c.decodeIfPresent(Double.self, forKey: .errorRate)
        latencyMs = try c.decodeIfPresent(Latency.self, forKey: .latencyMs)
        validation = try c.decodeIfPresent(Metrics.self, forKey: .validation)
        online = try c.decodeIfPresent(Metrics.self, forKey: .online)
        drift = try c.decodeIfPresent([Drift].self, forKey: .drift) ?? []
        failovers = try c.decodeIfPresent(Int.self, forKey: .failovers)
    }

    enum CodingKeys: String, CodingKey {
        case model, version, zone, agents, reports, requests, errors, errorRate = "error_rate", latencyMs = "latency_ms"
        case validation, online, drift, failovers
    }
}
