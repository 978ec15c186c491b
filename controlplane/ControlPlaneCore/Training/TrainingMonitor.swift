import DroverAPI
import DroverStats
import Logging

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The training monitor: accepts steps per run, judges them, records run health, alerts when a run is flagged,
/// and blocks promotion of versions trained by a flagged run.
public actor TrainingMonitor: PromotionGuard {
    /// Most steps accepted in one post.
    public static let maxStepsPerPost = 10_000
    /// The alert rule name of a flagged run (labels: `run`).
    public static let alertRule = "TrainingRunUnhealthy"

    private let store: any TrainingStore
    private let alerts: AlertEngine?
    private let config: GradientHealthConfig
    private let recentCapacity: Int
    private let logger: Logger
    /// Recently active runs, so concurrent posts to one run read and write its state without interleaving.
    private var cache: [String: TrainingRunState] = [:]
    private let maxCachedRuns = 1024

    /// Creates a monitor.
    /// - Parameters:
    ///   - alerts: where a flagged run raises `TrainingRunUnhealthy` (nil: no alert).
    ///   - config: the gradient detector's thresholds (DroverStats defaults).
    ///   - recentCapacity: recent steps kept per run.
    public init(
        store: any TrainingStore, alerts: AlertEngine?, config: GradientHealthConfig = .init(), recentCapacity: Int = 256,
        logger: Logger
    ) {
        self.store = store
        self.alerts = alerts
        self.config = config
        self.recentCapacity = recentCapacity
        self.logger = logger
    }

    /// Checks a post of steps for `runID` and throws an error naming the field to fix.
    public static func validate(_ steps: [TrainingStep], runID: String) throws(TrainingError) {
        if runID.isEmpty || runID.utf8.count > 200 { throw .invalidStep(field: "run_id", "use a run id of 1 to 200 bytes") }
        if steps.isEmpty { throw .invalidStep(field: "steps", "post at least one step") }
        if steps.count > maxStepsPerPost { throw .invalidStep(field: "steps", "post at most \(maxStepsPerPost) steps at once") }
        for (i, step) in steps.enumerated() {
            if !step.runID.isEmpty && step.runID != runID {
                throw .invalidStep(field: "steps[\(i)].run_id", "the step names run \"\(step.runID)\" but was posted to run \"\(runID)\"")
            }
            if step.step < 0 { throw .invalidStep(field: "steps[\(i)].step", "use a step number of 0 or more") }
            if let layers = step.layerNorms, layers.count > 1000 {
                throw .invalidStep(field: "steps[\(i)].layer_norms", "send at most 1000 per-layer norms")
            }
        }
    }

    /// Accepts steps of a run (validated first), judges them and returns the run's health.
    @discardableResult
    public func ingest(runID: String, steps: [TrainingStep], at now: Date) async throws -> TrainingRunHealth {
        try Self.validate(steps, runID: runID)
        if cache[runID] == nil {
            let loaded = try await store.run(id: runID)
            if cache[runID] == nil { cache[runID] = loaded ?? TrainingRunState(runID: runID, at: now, config: config) }
        }
        // No suspension between reading and writing the cached state: posts to one run apply in order.
        var monitor = TrainingRunMonitor(state: cache[runID] ?? TrainingRunState(runID: runID, at: now, config: config), recentCapacity: recentCapacity)
        let actions = monitor.handle(.steps(steps, at: now))
        cache[runID] = monitor.state
        evictIfNeeded()
        try await store.saveRun(monitor.state)
        for case .flagged(let health) in actions {
            logger.warning(
                "training run flagged",
                metadata: ["training.run": "\(runID)", "training.reason": "\(health.reason ?? "")", "training.step": "\(health.flaggedStep ?? -1)"]
            )
            try await alerts?.raise(
                rule: Self.alertRule, severity: "critical", labels: ["run": runID],
                annotations: [
                    "summary": "training run \(runID) is unhealthy: \(health.detail ?? health.reason ?? "")",
                    "reason": health.reason ?? "", "step": "\(health.flaggedStep ?? -1)",
                    "loss": TrainingRunMonitor.format(health.lastLoss?.value ?? .nan),
                    "grad_norm": TrainingRunMonitor.format(health.lastGradNorm?.value ?? .nan),
                    "consequence": "versions trained by this run cannot become stable without an explicit override",
                ],
                at: now
            )
        }
        return monitor.state.health
    }

    /// Health of runs, most recently active first.
    public func runs(limit: Int) async throws -> [TrainingRunHealth] {
        try await store.runs(limit: limit)
    }

    /// A run's health, or nil if it never posted steps.
    public func health(runID: String) async throws -> TrainingRunHealth? {
        try await run(runID: runID)?.health
    }

    /// A run's health and its most recent steps.
    public func run(runID: String) async throws -> TrainingRunState? {
        if let cached = cache[runID] { return cached }
        return try await store.run(id: runID)
    }

    private func evictIfNeeded() {
        guard cache.count > maxCachedRuns else { return }
        let oldest = cache.values.map(\.health).sorted { $0.lastSeenAt < $1.lastSeenAt }.prefix(cache.count - maxCachedRuns)
        for health in oldest { cache[health.runID] = nil }
    }

    /// Why a version trained by `runID` may not become stable (the run was flagged), or nil.
    ///
    /// A run that never posted steps is not blocked: the monitor only blocks on evidence.
    public func promotionBlocked(runID: String) async throws -> String? {
        guard let health = try await run(runID: runID)?.health, health.status == .flagged else { return nil }
        return "training run \(runID) was flagged \(health.reason ?? "unhealthy"): \(health.detail ?? "")"
            + "; promote with an explicit override only if the version was checked by other means"
    }
}
