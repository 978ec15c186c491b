import DroverAPI

/// The mergeable summary of one or many reports: histogram counts, error counts, n-weighted metric sums
/// and per-feature drift counts. Merging is associative, so rollups of agents and windows add up.
public struct ReportRollup: Codable, Sendable, Equatable {
    /// Reports merged in.
    public var reports: Int
    /// Timed requests (latency count).
    public var requests: Int
    /// Latency histogram bounds (ms) of the first report; reports with other bounds are counted in `skippedLatency`.
    public var latencyBounds: [Double]
    /// Latency histogram counts (`latencyBounds.count + 1`).
    public var latencyCounts: [Int]
    /// Reports whose histogram bounds differed (not merged).
    public var skippedLatency: Int
    /// Errors.
    public var errors: Int
    /// Errors by kind.
    public var errorsByKind: [String: Int]
    /// Probes sent.
    public var probes: Int
    /// Probes failed.
    public var probeFailures: Int
    /// Golden-set validation metrics, weighted by n.
    public var validation: WeightedMetrics
    /// Online metrics, weighted by n.
    public var online: WeightedMetrics
    /// The reference profile digest the drift counts are over.
    public var referenceProfile: String?
    /// Reports (or features) whose drift counts had other bins or kinds, or came over too many profiles (not merged).
    public var skippedDrift: Int
    /// Reports whose drift counts are merged into `features` / `outputs` (over `referenceProfile`); nil in rows
    /// written before it was counted.
    public var driftReports: Int?
    /// Drift counts over other reference profiles, kept apart by digest (at most `maxOtherProfiles`) so that the
    /// fleet view can pick the version's stored profile whichever report arrived first; nil when there are none.
    public var otherProfiles: [String: ProfileCounts]?
    /// Merged input-feature counts by name.
    public var features: [String: MergedCounts]
    /// Merged output counts by name.
    public var outputs: [String: MergedCounts]
    /// Failover incidents.
    public var failovers: Int

    /// An empty rollup (the identity of `merge`).
    public init() {
        reports = 0
        requests = 0
        latencyBounds = []
        latencyCounts = []
        skippedLatency = 0
        errors = 0
        errorsByKind = [:]
        probes = 0
        probeFailures = 0
        validation = WeightedMetrics()
        online = WeightedMetrics()
        referenceProfile = nil
        skippedDrift = 0
        driftReports = nil
        otherProfiles = nil
        features = [:]
        outputs = [:]
        failovers = 0
    }

    /// The summary of one report.
    public init(report: Report) {
        self.init()
        reports = 1
        if let latency = report.latencyMs {
            requests = latency.count
            latencyBounds = latency.histogram.bounds
            latencyCounts = latency.histogram.counts
        }
        errors = report.errors.count
        errorsByKind = report.errors.byKind
        probes = report.health.probes
        probeFailures = report.health.probeFailures
        if let block = report.validation { validation.add(block) }
        if let block = report.online { online.add(block) }
        if let drift = report.drift {
            referenceProfile = drift.referenceProfile
            driftReports = 1
            features.reserveCapacity(drift.features.count)
            outputs.reserveCapacity(drift.outputs.count)
            for feature in drift.features { if let c = MergedCounts(feature) { features[feature.name] = c } }
            for output in drift.outputs { if let c = MergedCounts(output) { outputs[output.name] = c } }
        }
        failovers = report.events.count { $0.kind == IncidentEvent.failover }
    }

    /// How many distinct other profiles a rollup keeps counts for; drift over more is counted in `skippedDrift`.
    public static let maxOtherProfiles = 4

    /// Reports merged into the counts over `referenceProfile` (all reports for rows written before they were counted).
    public var profileReports: Int { driftReports ?? (referenceProfile == nil ? 0 : reports) }

    /// Adds `other` into this rollup.
    public mutating func merge(_ other: ReportRollup) {
        if referenceProfile != nil { driftReports = profileReports }
        reports += other.reports
        requests += other.requests
        skippedLatency += other.skippedLatency
        if !other.latencyCounts.isEmpty {
            if latencyCounts.isEmpty {
                latencyBounds = other.latencyBounds
                latencyCounts = other.latencyCounts
            } else if latencyBounds == other.latencyBounds, latencyCounts.count == other.latencyCounts.count {
                for i in latencyCounts.indices { latencyCounts[i] += other.latencyCounts[i] }
            } else {
                skippedLatency += other.reports
            }
        }
        errors += other.errors
        errorsByKind.merge(other.errorsByKind, uniquingKeysWith: +)
        probes += other.probes
        probeFailures += other.probeFailures
        validation.merge(other.validation)
        online.merge(other.online)
        failovers += other.failovers
        skippedDrift += other.skippedDrift
        if let otherProfile = other.referenceProfile {
            addDrift(ProfileCounts(reports: other.profileReports, features: other.features, outputs: other.outputs), over: otherProfile)
        }
        for (digest, counts) in other.otherProfiles ?? [:] { addDrift(counts, over: digest) }
    }

    /// Merges drift counts over `digest`: into the main counts when it is their profile (or there are none yet),
    /// else into `otherProfiles`, never mixing bins of different profiles. Counts are added in place.
    private mutating func addDrift(_ counts: ProfileCounts, over digest: String) {
        if referenceProfile == nil {
            referenceProfile = digest
            driftReports = counts.reports
            features = counts.features
            outputs = counts.outputs
        } else if referenceProfile == digest {
            driftReports = profileReports + counts.reports
            Self.mergeCounts(&features, counts.features, skipped: &skippedDrift)
            Self.mergeCounts(&outputs, counts.outputs, skipped: &skippedDrift)
        } else if let index = otherProfiles?.index(forKey: digest) {
            otherProfiles!.values[index].reports += counts.reports
            Self.mergeCounts(&otherProfiles!.values[index].features, counts.features, skipped: &skippedDrift)
            Self.mergeCounts(&otherProfiles!.values[index].outputs, counts.outputs, skipped: &skippedDrift)
        } else if (otherProfiles?.count ?? 0) < Self.maxOtherProfiles {
            otherProfiles = (otherProfiles ?? [:]).merging([digest: counts]) { $1 }
        } else {
            skippedDrift += counts.reports
        }
    }

    /// Returns the merge of `self` and `other`.
    public func merging(_ other: ReportRollup) -> ReportRollup {
        var copy = self
        copy.merge(other)
        return copy
    }

    /// Adds `from` into `into` in place: one hash lookup per name, no copy of the stored counts.
    private static func mergeCounts(_ into: inout [String: MergedCounts], _ from: [String: MergedCounts], skipped: inout Int) {
        if into.isEmpty {
            into = from
            return
        }
        for (name, counts) in from {
            if let index = into.index(forKey: name) {
                if !into.values[index].merge(counts) { skipped += 1 }
            } else {
                into[name] = counts
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case reports, requests, latencyBounds = "latency_bounds", latencyCounts = "latency_counts"
        case skippedLatency = "skipped_latency", errors, errorsByKind = "errors_by_kind", probes
        case probeFailures = "probe_failures", validation, online, referenceProfile = "reference_profile"
        case skippedDrift = "skipped_drift", features, outputs, failovers, driftReports = "drift_reports"
        case otherProfiles = "other_profiles"
    }
}

/// Drift counts of some reports over one reference profile.
public struct ProfileCounts: Codable, Sendable, Equatable {
    /// Reports merged.
    public var reports: Int
    /// Merged input-feature counts by name.
    public var features: [String: MergedCounts]
    /// Merged output counts by name.
    public var outputs: [String: MergedCounts]

    /// Creates counts.
    public init(reports: Int, features: [String: MergedCounts] = [:], outputs: [String: MergedCounts] = [:]) {
        self.reports = reports
        self.features = features
        self.outputs = outputs
    }
}

/// Metric values weighted by their sample counts: `mean = sum / weight`.
public struct WeightedMetrics: Codable, Sendable, Equatable {
    /// Σ value × n per metric.
    public var sums: [String: Double]
    /// Σ n per metric.
    public var weights: [String: Double]
    /// The source of the first block merged (`golden_set`, `labels`).
    public var source: String?

    /// Creates empty sums.
    public init() {
        sums = [:]
        weights = [:]
        source = nil
    }

    /// Adds one metrics block, weighting each value by the block's n (non-finite values are skipped).
    public mutating func add(_ block: MetricsBlock) {
        guard block.n > 0 else { return }
        if source == nil { source = block.source }
        for (name, value) in block.metrics where value.isFinite {
            sums[name, default: 0] += value * Double(block.n)
            weights[name, default: 0] += Double(block.n)
        }
    }

    /// Adds other sums.
    public mutating func merge(_ other: WeightedMetrics) {
        sums.merge(other.sums, uniquingKeysWith: +)
        weights.merge(other.weights, uniquingKeysWith: +)
        if source == nil { source = other.source }
    }

    /// The n-weighted mean per metric.
    public var means: [String: Double] {
        var out: [String: Double] = [:]
        for (name, sum) in sums { if let w = weights[name], w > 0 { out[name] = sum / w } }
        return out
    }

    /// The largest n behind any metric.
    public var n: Int { Int(weights.values.max() ?? 0) }
}

/// Mergeable drift counts of one feature: bins (numeric) or categories (categorical).
public struct MergedCounts: Codable, Sendable, Equatable {
    /// Numeric, categorical or embedding.
    public var kind: FeatureKind
    /// Values counted.
    public var n: Int
    /// Bin counts (numeric).
    public var bins: [Int]?
    /// Category counts (categorical).
    public var categories: [String: Int]?

    /// Creates merged counts.
    public init(kind: FeatureKind, n: Int, bins: [Int]? = nil, categories: [String: Int]? = nil) {
        self.kind = kind
        self.n = n
        self.bins = bins
        self.categories = categories
    }

    /// Counts from one report's feature entry; nil for entries without counts (embeddings).
    public init?(_ feature: FeatureDrift) {
        switch feature.counts {
        case .bins(let bins): self.init(kind: feature.kind, n: feature.n, bins: bins)
        case .categories(let categories): self.init(kind: feature.kind, n: feature.n, categories: categories)
        case nil: return nil
        }
    }

    /// Adds `other` in place; returns false (and changes nothing) when the bins or kinds differ.
    public mutating func merge(_ other: MergedCounts) -> Bool {
        guard kind == other.kind else { return false }
        // Each branch takes the storage out (so it is uniquely referenced), adds in place and puts it back.
        if var mine = bins, let theirs = other.bins {
            guard mine.count == theirs.count else { return false }
            bins = nil
            for i in theirs.indices { mine[i] += theirs[i] }
            bins = mine
        } else if var mine = categories, let theirs = other.categories {
            categories = nil
            for (name, count) in theirs { mine[name, default: 0] += count }
            categories = mine
        } else {
            return false
        }
        n += other.n
        return true
    }
}
