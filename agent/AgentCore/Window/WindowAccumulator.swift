import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything observed in one window, turned into a `Report` when the window closes. A pure value.
public struct WindowAccumulator: Sendable {
    /// The reference profile of the served version, when known.
    public private(set) var profile: ReferenceProfile?
    /// The profile's digest (`sha256:…`), stated in the drift block.
    public private(set) var profileDigest: String?
    /// Values kept per feature for KS and Wasserstein.
    public let maxSamplesPerFeature: Int

    /// Probes sent.
    public private(set) var probes = 0
    /// Probes failed.
    public private(set) var probeFailures = 0
    /// Last liveness seen.
    public private(set) var live = false
    /// Last readiness seen.
    public private(set) var ready = false
    /// Latencies (probes, golden set, live traffic).
    public private(set) var latency = LatencyRecorder()
    /// Errors by kind.
    public private(set) var errors: [String: Int] = [:]
    /// Golden-set classification pairs.
    private var goldenScores: [Double] = []
    private var goldenLabels: [Double] = []
    /// Golden-set ranking queries.
    private var goldenQueries: [RankedQuery] = []
    /// Online classification pairs and ranking queries.
    private var onlineScores: [Double] = []
    private var onlineLabels: [Double] = []
    private var onlineQueries: [RankedQuery] = []
    private var onlineMatured = 0
    private var onlineClicked = 0
    private var features: [String: FeatureAccumulator] = [:]
    private var outputs: [String: FeatureAccumulator] = [:]
    /// Prediction events counted in this window.
    public private(set) var events = 0
    /// Events dropped (overflow, bad input).
    public private(set) var droppedEvents = 0
    /// Labels that matched nothing.
    public private(set) var droppedLabels = 0
    /// Incidents in this window.
    public private(set) var incidents: [IncidentEvent] = []

    /// Opens a window measuring drift against `profile`.
    public init(profile: ReferenceProfile?, profileDigest: String?, maxSamplesPerFeature: Int) {
        self.profile = profile
        self.profileDigest = profileDigest
        self.maxSamplesPerFeature = maxSamplesPerFeature
        if let profile {
            for f in profile.features where f.kind != .embedding {
                features[f.name] = FeatureAccumulator(profile: f, maxSamples: maxSamplesPerFeature)
            }
            for o in profile.outputs where o.kind != .embedding {
                outputs[o.name] = FeatureAccumulator(profile: o, maxSamples: maxSamplesPerFeature)
            }
        }
    }

    /// Records a health probe.
    public mutating func recordProbe(live: Bool, ready: Bool, errorKind: String?) {
        probes += 1
        self.live = live
        self.ready = ready
        if let errorKind {
            probeFailures += 1
            recordError(errorKind)
        } else if !(live && ready) {
            probeFailures += 1
        }
    }

    /// Records an error of a bounded kind (`http_5xx`, `timeout`, `refused`, `bad_response`, …).
    public mutating func recordError(_ kind: String) {
        errors[kind, default: 0] += 1
    }

    /// Records one inference latency.
    public mutating func recordLatency(ms: Double) { latency.record(ms) }

    /// Records golden-set classification results.
    public mutating func recordGolden(scores: [Double], labels: [Double]) {
        goldenScores += scores
        goldenLabels += labels
    }

    /// Records golden-set ranking queries.
    public mutating func recordGolden(queries: [RankedQuery]) { goldenQueries += queries }

    /// Records a live prediction's features and scores for drift.
    public mutating func recordEvent(_ event: PredictionEvent) {
        events += 1
        if let latencyMs = event.latencyMs { latency.record(latencyMs) }
        guard profile != nil else { return }
        for (name, value) in event.features {
            features[name]?.add(value)
        }
        if let first = profile?.outputs.first, outputs[first.name] != nil {
            for score in event.scores { outputs[first.name]?.add(.number(score)) }
        }
    }

    /// Counts dropped events.
    public mutating func recordDroppedEvents(_ count: Int) { droppedEvents += count }

    /// Counts labels that matched nothing.
    public mutating func recordDroppedLabels(_ count: Int) { droppedLabels += count }

    /// Records matured label joins.
    public mutating func recordOnline(_ outcome: JoinOutcome) {
        onlineScores += outcome.scores
        onlineLabels += outcome.labels
        onlineQueries += outcome.queries
        onlineMatured += outcome.matured
        onlineClicked += outcome.clicked
    }

    /// Records an incident.
    public mutating func recordIncident(_ incident: IncidentEvent) { incidents.append(incident) }

    /// Takes over probes, latencies, errors, golden and online results and incidents from another accumulator
    /// (used when the reference profile arrives before any event).
    public mutating func adoptHealth(from other: WindowAccumulator) {
        var copy = other
        copy.features = features
        copy.outputs = outputs
        copy.profile = profile
        copy.profileDigest = profileDigest
        self = copy
    }

    /// The golden-set metrics of this window (nil when no golden results arrived).
    public func goldenMetrics(statistics: some AgentStatistics, k: Int) -> MetricsBlock? {
        metrics(source: "golden_set", scores: goldenScores, labels: goldenLabels, queries: goldenQueries, statistics: statistics, k: k)
    }

    private func metrics(
        source: String, scores: [Double], labels: [Double], queries: [RankedQuery], statistics: some AgentStatistics, k: Int
    ) -> MetricsBlock? {
        var values: [String: Double] = [:]
        var n = 0
        if !scores.isEmpty {
            values.merge(statistics.classification(scores: scores, labels: labels)) { $1 }
            n += scores.count
        }
        if !queries.isEmpty {
            values.merge(statistics.ranking(queries: queries, k: k)) { $1 }
            n += queries.count
        }
        guard n > 0 else { return nil }
        return MetricsBlock(source: source, n: n, metrics: values.filter { $0.value.isFinite })
    }

    /// Builds the window's report.
    public func report(
        id: String, agentID: String, model: String, version: String, window: TimeWindow, consecutiveFailures: Int,
        resources: ResourceBlock?, droppedReports: Int, statistics: some AgentStatistics, k: Int
    ) -> Report {
        var online = metrics(source: "labels", scores: onlineScores, labels: onlineLabels, queries: onlineQueries, statistics: statistics, k: k)
        if onlineMatured > 0 {
            var block = online ?? MetricsBlock(source: "labels", n: onlineMatured, metrics: [:])
            block.metrics["ctr"] = Double(onlineClicked) / Double(onlineMatured)
            block.n = max(block.n, onlineMatured)
            online = block
        }
        var drift: DriftBlock?
        if let profile, let profileDigest {
            let f = statistics.drift(profile.features.compactMap { features[$0.name] }.filter { $0.n > 0 }.map(\.driftInput))
            let o = statistics.drift(profile.outputs.compactMap { outputs[$0.name] }.filter { $0.n > 0 }.map(\.driftInput))
            if !f.isEmpty || !o.isEmpty { drift = DriftBlock(referenceProfile: profileDigest, features: f, outputs: o) }
        }
        return Report(
            id: id, agentID: agentID, model: model, version: version, window: window,
            health: HealthBlock(live: live, ready: ready, probes: probes, probeFailures: probeFailures, consecutiveFailures: consecutiveFailures),
            latencyMs: latency.block(), errors: ErrorBlock(count: errors.values.reduce(0, +), byKind: errors),
            resources: resources, validation: goldenMetrics(statistics: statistics, k: k), online: online, drift: drift,
            dropped: DroppedBlock(events: droppedEvents, reports: droppedReports, labels: droppedLabels), events: incidents)
    }
}
