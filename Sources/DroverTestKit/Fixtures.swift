import DroverAPI
import Foundation

/// Builders for valid wire documents with sensible defaults, shared by agent, control-plane and benchmark tests.
///
/// Everything is deterministic: the same arguments give the same value (counts come from a seeded generator).
public enum Fixtures {
    /// The default model name.
    public static let model = "ranker"
    /// The default version id.
    public static let version = "7"
    /// The default agent id.
    public static let agentID = "node-a/ranker-0"
    /// A fixed window start: 2026-11-29T04:00:00Z.
    public static let windowStart = Date(timeIntervalSince1970: 1_795_924_800)
    /// A valid artifact digest (64 lowercase hex characters).
    public static let artifactSHA256 = "9f2c4e1b7a0d3c5e8f6a2b4d1c7e9f0a3b5d7c9e1f2a4b6c8d0e2f4a6b8c0d1e"
    /// The digest of the default reference profile, as reports carry it.
    public static let referenceProfileDigest = "sha256:" + artifactSHA256

    /// The 20 default feature names: 15 numeric then 5 categorical.
    public static let featureNames: [String] = numericFeatureNames + categoricalFeatureNames
    /// Default numeric feature names.
    public static let numericFeatureNames = [
        "price", "discount", "popularity", "text_similarity", "user_activity", "rating", "review_count",
        "days_since_launch", "stock_level", "position", "ctr_7d", "conversion_7d", "session_length",
        "query_length", "distance_km",
    ]
    /// Default categorical feature names.
    public static let categoricalFeatureNames = ["category", "brand", "device", "country", "hour_bucket"]
    /// The categories of every default categorical feature (the rest is `__other__`).
    public static let categories = ["c01", "c02", "c03", "c04", "c05"]
    /// Interior bin edges of every default numeric feature (10 bins).
    public static let numericEdges: [Double] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
    /// Default latency histogram bounds in milliseconds.
    public static let latencyBounds: [Double] = [1, 2, 5, 10, 20, 50, 100]

    /// A deterministic, valid 26-character report id (a ULID for `date` with random part `n`).
    public static func reportID(_ n: Int, at date: Date = windowStart) -> String {
        ReportID.encode(
            milliseconds: UInt64(max(0, date.timeIntervalSince1970 * 1000)),
            random: UInt128(UInt64(truncatingIfNeeded: n)))
    }

    /// A valid report with 20 features (drift counts), latency histogram, errors, resources and validation metrics.
    public static func report(
        id: String? = nil, index: Int = 0, agentID: String = agentID, model: String = model, version: String = version,
        start: Date? = nil, windowSeconds: Double = 60, requests: Int = 1200, featureCount: Int = 20, seed: UInt64 = 1,
        events: [IncidentEvent] = []
    ) -> Report {
        let windowStart = start ?? Self.windowStart.addingTimeInterval(Double(index) * windowSeconds)
        var rng = FixtureRNG(seed: seed &+ UInt64(truncatingIfNeeded: index))
        return Report(
            id: id ?? reportID(index, at: windowStart), agentID: agentID, model: model, version: version,
            window: TimeWindow(start: windowStart, end: windowStart.addingTimeInterval(windowSeconds)),
            health: HealthBlock(live: true, ready: true, probes: 60, probeFailures: 0, consecutiveFailures: 0),
            latencyMs: latency(count: requests, rng: &rng),
            errors: ErrorBlock(count: 3, byKind: ["http_5xx": 2, "timeout": 1]),
            resources: ResourceBlock(agentRSSBytes: 15_728_640, agentCPUSeconds: 0.4, serverRSSBytes: 812_000_000),
            validation: MetricsBlock(source: "golden_set", n: 200, metrics: ["roc_auc": 0.781, "ndcg_at_10": 0.71]),
            online: MetricsBlock(source: "labels", n: 950, metrics: ["roc_auc": 0.77, "ctr": 0.041]),
            drift: drift(featureCount: featureCount, n: requests, rng: &rng),
            dropped: DroppedBlock(),
            events: events)
    }

    /// A valid latency block with `count` requests spread over `latencyBounds`.
    public static func latency(count: Int = 1200, seed: UInt64 = 1) -> LatencyBlock {
        var rng = FixtureRNG(seed: seed)
        return latency(count: count, rng: &rng)
    }

    /// A valid drift block over the default features (numeric: 10 bins; categorical: 5 categories + `__other__`).
    public static func drift(featureCount: Int = 20, n: Int = 1200, seed: UInt64 = 1) -> DriftBlock {
        var rng = FixtureRNG(seed: seed)
        return drift(featureCount: featureCount, n: n, rng: &rng)
    }

    /// The name of default feature `index` (beyond 20: `feature_<index>`, numeric).
    public static func featureName(_ index: Int) -> String {
        index < featureNames.count ? featureNames[index] : "feature_\(index)"
    }

    /// Whether default feature `name` is categorical.
    public static func isCategorical(_ name: String) -> Bool { categoricalFeatureNames.contains(name) }

    /// A valid reference profile matching `report()`'s drift block (same features, bins and categories).
    public static func referenceProfile(
        model: String = model, version: String = version, featureCount: Int = 20, n: Int = 10_000, seed: UInt64 = 2
    ) -> ReferenceProfile {
        var rng = FixtureRNG(seed: seed)
        let features = (0..<featureCount).map { index -> FeatureProfile in
            let name = featureName(index)
            if isCategorical(name) {
                return FeatureProfile(
                    name: name, kind: .categorical, n: n, counts: split(n, into: categories.count + 1, rng: &rng),
                    categories: categories)
            }
            return FeatureProfile(
                name: name, kind: .numeric, n: n, edges: numericEdges,
                counts: split(n, into: numericEdges.count + 1, rng: &rng))
        }
        let score = FeatureProfile(
            name: "score", kind: .numeric, n: n, edges: numericEdges,
            counts: split(n, into: numericEdges.count + 1, rng: &rng))
        return ReferenceProfile(model: model, version: version, features: features, outputs: [score])
    }

    /// A valid model version with artifact, tensors, footprint, offline metrics and optional lineage.
    public static func modelVersion(
        model: String = model, version: String = version, lineage: Lineage? = nil, status: VersionStatus = .registered,
        aliases: [String] = [], trainingRunID: String? = nil
    ) -> ModelVersion {
        ModelVersion(
            model: model, version: version,
            artifact: Artifact(uri: "s3://models/\(model)/\(version)/model.onnx", sha256: artifactSHA256),
            inputs: [
                TensorSpec(
                    name: "features", datatype: "FP32", shape: [-1, numericFeatureNames.count],
                    features: numericFeatureNames)
            ],
            outputs: [TensorSpec(name: "score", datatype: "FP32", shape: [-1, 1])],
            footprint: ModelFootprint(precision: "float32", parameterCount: 12_544, bytes: 50_176),
            offlineMetrics: ["ndcg_at_10": 0.71, "roc_auc": 0.78],
            lineage: lineage, trainingRunID: trainingRunID, referenceProfileDigest: referenceProfileDigest,
            status: status, aliases: aliases)
    }

    /// A valid training step record (finite loss and gradient norm unless given).
    public static func trainingStep(
        runID: String = "run-2026-11-29", step: Int = 0, loss: Double? = nil, gradNorm: Double? = nil, at: Date? = nil
    ) -> TrainingStep {
        TrainingStep(
            runID: runID, step: step, loss: loss ?? (0.7 / (1 + Double(step) / 100)),
            gradNorm: gradNorm ?? (1.5 / (1 + Double(step) / 200)),
            layerNorms: ["dense_0": 0.9, "dense_1": 0.4], learningRate: 0.001,
            at: at ?? windowStart.addingTimeInterval(Double(step)))
    }

    /// A valid prediction event with the 20 default features and `items` ranked scores.
    public static func predictionEvent(
        requestID: String = "req-0", index: Int = 0, items: Int = 5, model: String? = model, version: String? = version,
        seed: UInt64 = 3
    ) -> PredictionEvent {
        var rng = FixtureRNG(seed: seed &+ UInt64(truncatingIfNeeded: index))
        var features: [String: FeatureValue] = [:]
        for name in numericFeatureNames { features[name] = .number((rng.unit() * 1000).rounded() / 1000) }
        for name in categoricalFeatureNames { features[name] = .string(categories[rng.below(categories.count)]) }
        let scores = (0..<items).map { _ in (rng.unit() * 1000).rounded() / 1000 }.sorted(by: >)
        return PredictionEvent(
            requestID: requestID == "req-0" && index != 0 ? "req-\(index)" : requestID,
            at: RFC3339.format(windowStart.addingTimeInterval(Double(index) * 0.05)), model: model, version: version,
            features: features, scores: scores, items: (0..<items).map { "item-\($0 + index * items)" },
            latencyMs: 2 + rng.unit() * 8)
    }

    /// A valid three-stage rollout plan (canary agent, 25 % of the fleet, all) with absolute and canary gates.
    public static func rolloutPlan(model: String = model, version: String = "8", baseline: String? = version)
        -> RolloutPlan
    {
        RolloutPlan(
            model: model, version: version, baseline: baseline,
            stages: [
                RolloutStage(
                    name: "canary", selector: ["pool": "canary"], percent: 100, bakeSeconds: 600,
                    gates: [
                        Gate(metric: "error_rate", kind: .absolute, op: .lt, threshold: 0.01, minSamples: 500),
                        Gate(metric: "ndcg_at_10", kind: .canaryVsBaseline, op: .ge, threshold: 0.05, minSamples: 200),
                    ]),
                RolloutStage(
                    name: "25%", percent: 25, bakeSeconds: 900,
                    gates: [Gate(metric: "latency_p99_ms", kind: .relative, op: .le, threshold: 0.1)]),
                RolloutStage(name: "all", percent: 100, bakeSeconds: 0),
            ])
    }

    /// A valid desired state for the default agent.
    public static func desiredState(
        agentID: String = agentID, model: String = model, version: String = version, generation: Int64 = 1
    ) -> DesiredState {
        DesiredState(
            agentID: agentID, model: model, version: version, generation: generation, planID: "plan-1",
            reason: "rollout plan-1 stage canary", updatedAt: windowStart)
    }

    /// A valid firing alert for feature drift.
    public static func alert(feature: String = "category") -> Alert {
        Alert(
            fingerprint: "a1b2c3d4e5f60718", rule: "FeatureDrift", severity: "warning", status: .firing,
            labels: ["model": model, "version": version, "zone": "eu-1", "feature": feature],
            annotations: ["summary": "PSI of \(feature) above 0.2 for 10m", "value": "0.28", "threshold": "0.2"],
            startsAt: windowStart)
    }

    /// A valid observed state answering `desiredState(generation:)`.
    public static func observedState(
        agentID: String = agentID, version: String = version, generation: Int64 = 1,
        status: ObservedState.Status = .applied, error: String? = nil
    ) -> ObservedState {
        ObservedState(
            agentID: agentID, model: model, version: version, generation: generation, status: status,
            error: error ?? (status == .failed ? "load failed: model not found in repository" : nil),
            observedAt: windowStart)
    }

    /// A valid enrolment request with zone, node and pool labels.
    public static func enrollRequest(agentID: String = agentID, zone: String = "eu-1") -> EnrollRequest {
        EnrollRequest(
            agentID: agentID, model: model, labels: ["zone": zone, "node": "node-a", "pool": "ranker"],
            serverKind: "oip",
            agentVersion: "0.1.0")
    }

    /// A valid heartbeat.
    public static func heartbeat(agentID: String = agentID, spoolDepth: Int = 0) -> Heartbeat {
        Heartbeat(agentID: agentID, version: version, spoolDepth: spoolDepth)
    }

    /// A valid delayed label: a click on the first item of prediction `index`.
    public static func labelEvent(index: Int = 0, kind: LabelEvent.Kind = .click) -> LabelEvent {
        LabelEvent(
            requestID: "req-\(index)", kind: kind, value: kind == .label ? 1 : nil, item: "item-\(index * 5)",
            at: RFC3339.format(windowStart.addingTimeInterval(Double(index) * 0.05 + 30)))
    }

    /// A valid golden-set record for ranking (query `q<index / 5>`, graded relevance).
    public static func goldenRecord(index: Int = 0) -> GoldenRecord {
        let event = predictionEvent(index: index, items: 1)
        return GoldenRecord(
            id: "g-\(index)", queryID: "q-\(index / 5)", item: "item-\(index)", features: event.features,
            label: Double(index % 2), relevance: Double(index % 4))
    }

    // MARK: Helpers

    private static func latency(count: Int, rng: inout FixtureRNG) -> LatencyBlock {
        let weights: [Double] = [0.01, 0.25, 0.58, 0.125, 0.025, 0.007, 0.002, 0.001]
        var counts = weights.map { Int(Double(count) * $0) }
        counts[2] += count - counts.reduce(0, +)
        _ = rng.next()
        return LatencyBlock(
            count: count, p50: 3.1, p90: 6.2, p99: 9.8, max: 120,
            histogram: Histogram(bounds: latencyBounds, counts: counts))
    }

    private static func drift(featureCount: Int, n: Int, rng: inout FixtureRNG) -> DriftBlock {
        let features = (0..<featureCount).map { index -> FeatureDrift in
            let name = featureName(index)
            if isCategorical(name) {
                let parts = split(n, into: categories.count + 1, rng: &rng)
                var counts: [String: Int] = [:]
                for (i, category) in categories.enumerated() { counts[category] = parts[i] }
                counts[DriftCounts.otherCategory] = parts[categories.count]
                let psi = (rng.unit() * 0.08 * 1000).rounded() / 1000
                return FeatureDrift(
                    name: name, kind: .categorical, n: n, counts: .categories(counts), psi: psi,
                    jsDistance: psi / 2, chiSquare: psi * 100, pValue: 0.4, verdict: .ok)
            }
            let psi = (rng.unit() * 0.08 * 1000).rounded() / 1000
            return FeatureDrift(
                name: name, kind: .numeric, n: n, counts: .bins(split(n, into: numericEdges.count + 1, rng: &rng)),
                psi: psi, jsDistance: psi / 2, wasserstein: psi / 4, ksStatistic: psi / 3, pValue: 0.5, verdict: .ok)
        }
        let score = FeatureDrift(
            name: "score", kind: .numeric, n: n, counts: .bins(split(n, into: numericEdges.count + 1, rng: &rng)),
            psi: 0.02, verdict: .ok)
        return DriftBlock(referenceProfile: referenceProfileDigest, features: features, outputs: [score])
    }

    /// Splits `total` into `parts` non-negative counts that sum to `total`, roughly even.
    static func split(_ total: Int, into parts: Int, rng: inout FixtureRNG) -> [Int] {
        guard parts > 0 else { return [] }
        let base = total / parts
        var counts = (0..<parts).map { _ in max(0, base + Int((rng.unit() - 0.5) * Double(base) * 0.2)) }
        let sum = counts.reduce(0, +)
        counts[0] = max(0, counts[0] + total - sum)
        return counts
    }
}

/// SplitMix64: a tiny deterministic generator for fixtures.
struct FixtureRNG: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
