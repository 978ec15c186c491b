import DroverAPI
import DroverStats

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Judges the steps of one training run with DroverStats' gradient health detector: a pure state machine.
///
/// Steps at or below the last accepted step number are ignored (a retried post is not counted twice). NaN/Inf in
/// the loss, the global norm or any per-layer norm flags the run at once; explosion, vanishing and loss divergence
/// follow the detector's thresholds. A flagged run stays flagged. Memory per run: the detector's window plus
/// `recentCapacity` steps.
public struct TrainingRunMonitor: Sendable {
    /// What the monitor reacts to.
    public enum Event: Sendable {
        /// Steps posted by the training job, received at `at`.
        case steps([TrainingStep], at: Date)
    }

    /// What the owner must do.
    public enum Action: Sendable, Equatable {
        /// The run was just flagged: raise an alert.
        case flagged(TrainingRunHealth)
    }

    /// The run's state (save it after handling events).
    public private(set) var state: TrainingRunState
    /// How many recent steps are kept.
    public let recentCapacity: Int

    /// Creates a monitor over a new or restored state.
    public init(state: TrainingRunState, recentCapacity: Int = 256) {
        self.state = state
        self.recentCapacity = max(1, recentCapacity)
    }

    /// Handles one event and returns what to do.
    public mutating func handle(_ event: Event) -> [Action] {
        switch event {
        case .steps(let steps, let at):
            var actions: [Action] = []
            for step in steps.sorted(by: { $0.step < $1.step }) {
                if let last = state.health.lastStep, step.step <= last { continue }
                if let action = accept(step, at: at) { actions.append(action) }
            }
            if !steps.isEmpty { state.health.lastSeenAt = at }
            return actions
        }
    }

    private mutating func accept(_ step: TrainingStep, at: Date) -> Action? {
        var health = state.health
        health.steps += 1
        health.lastStep = step.step
        health.lastLoss = step.loss
        health.lastGradNorm = step.gradNorm
        state.recent.append(step)
        if state.recent.count > recentCapacity { state.recent.removeFirst(state.recent.count - recentCapacity) }

        var verdict = state.detector.observe(gradientNorm: step.gradNorm.value, loss: step.loss.value)
        var badLayer: String?
        if !verdict.isProblem, let layers = step.layerNorms,
            let layer = layers.keys.sorted().first(where: { !(layers[$0]?.value.isFinite ?? true) })
        {
            badLayer = layer
            verdict = .nonFinite
        }
        defer { state.health = health }
        guard health.status != .flagged else { return nil }
        guard verdict.isProblem else {
            health.status = verdict == .warmingUp ? .warmingUp : .healthy
            return nil
        }
        health.status = .flagged
        health.flaggedStep = step.step
        health.flaggedAt = at
        (health.reason, health.detail) = Self.describe(verdict, step: step, layer: badLayer, config: state.detector.config)
        return .flagged(health)
    }

    static func describe(_ verdict: GradientVerdict, step: TrainingStep, layer: String?, config: GradientHealthConfig) -> (String, String) {
        let at = "at step \(step.step)"
        let numbers = "loss \(format(step.loss.value)), gradient norm \(format(step.gradNorm.value))"
        switch verdict {
        case .nonFinite:
            if let layer { return ("non_finite", "layer \(layer) has a NaN/Inf gradient norm \(at) (\(numbers))") }
            return ("non_finite", "NaN/Inf \(at) (\(numbers))")
        case .exploding(let ratio):
            return ("exploding", "gradient norm exploded \(at): \(format(ratio))× its recent median (\(numbers))")
        case .vanishing(let steps):
            return ("vanishing", "gradient norm below \(format(config.vanishingNorm)) for \(steps) steps \(at) (\(numbers))")
        case .lossDiverging(let ratio):
            return ("loss_diverging", "smoothed loss \(format(ratio))× its best for \(config.divergenceSteps) steps \(at) (\(numbers))")
        case .warmingUp, .healthy:
            return ("healthy", "healthy \(at)")
        }
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
        if value != 0 && (abs(value) < 1e-3 || abs(value) >= 1e6) { return "\(value)" }
        return String((value * 1000).rounded() / 1000)
    }
}
