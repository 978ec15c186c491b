import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Decides when to ask for a retrain: a pure state machine over per-model windows, with no clock and no I/O.
///
/// A window *counts* when at least K features drift (PSI ≥ threshold) or the validation metric is below its floor.
/// After N counting windows in a row the trigger fires one request with the streak's evidence, unless the model
/// is in cooldown or already has a request in flight. A registered version with `lineage.method = retrain`
/// closes the model's in-flight request (the one named in `lineage.parameters.retrain_request`, if given).
public struct RetrainTrigger: Sendable {
    /// What the trigger reacts to.
    public enum Event: Sendable {
        /// One window of one model.
        case window(RetrainWindow)
        /// The owner dispatched a request: accepted (`succeeded`) or not, with a note.
        case dispatched(requestID: String, succeeded: Bool, outcome: String, at: Date)
        /// A version was registered.
        case versionRegistered(model: String, version: String, lineage: Lineage?, at: Date)
        /// Re-adopts recorded requests after a restart (in-flight ones and the latest per model for cooldown).
        case restore([RetrainRequest])
    }

    /// What the owner must do.
    public enum Action: Sendable, Equatable {
        /// Record the new request and dispatch it to the policy's target.
        case fire(RetrainRequest, RetrainTarget)
        /// Save the request's new state (dispatched, failed, completed, expired).
        case update(RetrainRequest)
        /// A streak was long enough but the request was held back (cooldown, in flight); for logs.
        case suppressed(model: String, reason: String)
    }

    private struct Streak: Sendable {
        var since: Date
        var until: Date
        var windows = 0
        var features: [String: RetrainEvidence.Feature] = [:]
        var versions: Set<String> = []
        var zones: Set<String> = []
        var validationValues: [Double] = []
        var driftWindows = 0
        var validationWindows = 0
    }

    private var policies: [String: RetrainPolicy]
    private var streaks: [String: Streak] = [:]
    private var lastFired: [String: Date] = [:]
    private var inFlight: [String: RetrainRequest] = [:]

    /// Creates a trigger for the given policies (one per model; later ones win).
    public init(policies: [RetrainPolicy]) {
        self.policies = Dictionary(policies.map { ($0.model, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The request in flight for a model, if any.
    public func inFlightRequest(model: String) -> RetrainRequest? { inFlight[model] }

    /// Counting windows in a row so far for a model.
    public func streakLength(model: String) -> Int { streaks[model]?.windows ?? 0 }

    /// Handles one event and returns what to do.
    public mutating func handle(_ event: Event) -> [Action] {
        switch event {
        case .window(let window):
            return handleWindow(window)
        case .dispatched(let id, let succeeded, let outcome, let at):
            guard var request = inFlight.values.first(where: { $0.id == id }) else { return [] }
            request.outcome = outcome
            if succeeded {
                request.state = .dispatched
                request.dispatchedAt = at
                inFlight[request.model] = request
            } else {
                // A request that never reached its target neither blocks nor starts a cooldown.
                request.state = .failed
                request.finishedAt = at
                inFlight[request.model] = nil
                if lastFired[request.model] == request.createdAt { lastFired[request.model] = nil }
            }
            return [.update(request)]
        case .versionRegistered(let model, let version, let lineage, let at):
            guard let lineage, lineage.method == .retrain, var request = inFlight[model] else { return [] }
            if let named = lineage.parameters["retrain_request"], named != request.id { return [] }
            request.state = .completed
            request.finishedAt = at
            request.resultVersion = version
            request.outcome = "version \(version) registered, retrained from \(lineage.derivedFrom)"
            inFlight[model] = nil
            return [.update(request)]
        case .restore(let requests):
            for request in requests.sorted(by: { $0.createdAt < $1.createdAt }) {
                if request.state.isInFlight { inFlight[request.model] = request }
                if request.state != .failed { lastFired[request.model] = request.createdAt }
            }
            return []
        }
    }

    private mutating func handleWindow(_ window: RetrainWindow) -> [Action] {
        guard let policy = policies[window.model] else { return [] }
        var actions: [Action] = []
        // Give up on a request whose version never came.
        if var request = inFlight[window.model],
            window.end.timeIntervalSince(request.dispatchedAt ?? request.createdAt) >= Double(policy.inFlightTimeoutSeconds)
        {
            request.state = .expired
            request.finishedAt = window.end
            request.outcome = "no retrained version registered within \(policy.inFlightTimeoutSeconds)s"
            inFlight[window.model] = nil
            actions.append(.update(request))
        }
        let drifted = window.featurePSI.filter { $0.value.isFinite && $0.value >= policy.psiThreshold }
        let driftCounts = drifted.count >= policy.minDriftedFeatures
        var validationValue: Double?
        if let metric = policy.validationMetric, let value = window.validation[metric], value.isFinite { validationValue = value }
        let validationCounts = validationValue.map { value in policy.validationFloor.map { value < $0 } ?? false } ?? false
        guard driftCounts || validationCounts else {
            streaks[window.model] = nil
            return actions
        }
        var streak = streaks[window.model] ?? Streak(since: window.start, until: window.end)
        streak.windows += 1
        streak.until = window.end
        streak.versions.formUnion(window.versions)
        streak.zones.formUnion(window.zones)
        if let validationValue { streak.validationValues.append(validationValue) }
        if driftCounts { streak.driftWindows += 1 }
        if validationCounts { streak.validationWindows += 1 }
        for (name, psi) in drifted {
            var feature = streak.features[name] ?? .init(name: name, psi: psi, maxPSI: psi, windows: 0)
            feature.psi = psi
            feature.maxPSI = max(feature.maxPSI, psi)
            feature.windows += 1
            streak.features[name] = feature
        }
        streaks[window.model] = streak
        guard streak.windows >= policy.consecutiveWindows else { return actions }
        if let request = inFlight[window.model] {
            actions.append(.suppressed(model: window.model, reason: "retrain request \(request.id) is still in flight"))
            return actions
        }
        if let last = lastFired[window.model], window.end.timeIntervalSince(last) < Double(policy.cooldownSeconds) {
            let until = RFC3339.format(last.addingTimeInterval(Double(policy.cooldownSeconds)))
            actions.append(.suppressed(model: window.model, reason: "in cooldown until \(until)"))
            return actions
        }
        var reasons: [String] = []
        if streak.driftWindows > 0 { reasons.append("drift") }
        if streak.validationWindows > 0 { reasons.append("validation_decay") }
        let evidence = RetrainEvidence(
            model: window.model, reasons: reasons, since: streak.since, until: streak.until, windows: streak.windows,
            features: streak.features.values.sorted { ($0.maxPSI, $1.name) > ($1.maxPSI, $0.name) },
            versions: streak.versions.sorted(), zones: streak.zones.sorted(),
            validation: policy.validationMetric.flatMap { metric in
                policy.validationFloor.map { RetrainEvidence.Validation(metric: metric, floor: $0, values: streak.validationValues) }
            },
            psiThreshold: policy.psiThreshold, minDriftedFeatures: policy.minDriftedFeatures
        )
        let request = RetrainRequest(
            id: Self.requestID(model: window.model, at: window.end), model: window.model, target: policy.target.kind,
            evidence: evidence, createdAt: window.end
        )
        inFlight[window.model] = request
        lastFired[window.model] = window.end
        streaks[window.model] = nil
        actions.append(.fire(request, policy.target))
        return actions
    }

    /// `rt-<model>-<YYYYMMDDTHHMMSSZ>`: readable, unique per model and second.
    static func requestID(model: String, at: Date) -> String {
        let stamp = RFC3339.format(Date(timeIntervalSince1970: at.timeIntervalSince1970.rounded(.down)))
            .filter { $0 != "-" && $0 != ":" }
        return "rt-\(model)-\(stamp)"
    }
}
