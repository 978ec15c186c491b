import DroverAPI
import Logging
import Metrics

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Owns the alert evaluator and performs its actions: stores alerts and enqueues their webhook deliveries.
///
/// Other subsystems (the training monitor) raise and resolve their own alerts through `raise` / `resolve`,
/// with the same fingerprints, dedupe and delivery.
public actor AlertEngine {
    private var evaluator: AlertEvaluator
    private let store: any AlertStore
    private let baseRules: [AlertRule]
    private let receivers: [String]
    private let logger: Logger
    private let firingGauge: Gauge

    /// Creates an engine; call `start(at:)` before the first evaluation.
    /// - Parameters:
    ///   - baseRules: rules from the configuration file (default: `AlertRule.defaultRules`); stored rules override by name.
    ///   - receivers: names of the webhook receivers every alert is delivered to.
    public init(
        store: any AlertStore, baseRules: [AlertRule] = AlertRule.defaultRules, receivers: [String],
        configuration: AlertEvaluator.Configuration = .init(), logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.store = store
        self.baseRules = baseRules
        self.receivers = receivers
        self.logger = logger
        self.evaluator = AlertEvaluator(rules: baseRules, configuration: configuration)
        self.firingGauge = Gauge(label: "drover_alerts_firing", dimensions: [], factory: metricsFactory)
    }

    /// Loads operator-defined rules and re-adopts alerts still firing from before a restart.
    public func start(at now: Date) async throws {
        _ = evaluator.handle(.setRules(Self.merge(baseRules, try await store.rules()), at: now))
        _ = evaluator.handle(.restore(try await store.firingAlerts(), at: now))
        try await refreshGauge()
    }

    /// The rules in effect (configured rules overridden and extended by stored ones).
    public var rules: [AlertRule] { evaluator.rules }

    /// Runs one evaluation round and performs its actions; returns them.
    @discardableResult
    public func evaluate(_ observations: [AlertObservation], at now: Date) async throws -> [AlertEvaluator.Action] {
        let before = evaluator
        let actions = evaluator.handle(.evaluate(observations, at: now))
        do {
            try await perform(actions, at: now)
        } catch {
            // Roll back so the next round produces the same actions again (recording is idempotent).
            evaluator = before
            throw error
        }
        return actions
    }

    /// Adds or replaces an operator-defined rule after validating it.
    public func saveRule(_ rule: AlertRule, at now: Date) async throws {
        try rule.validate()
        try await store.saveRule(rule)
        try await reloadRules(at: now)
    }

    /// Deletes an operator-defined rule; its alerts resolve unless a configured rule of that name remains.
    public func deleteRule(named name: String, at now: Date) async throws {
        guard try await store.deleteRule(named: name) else { throw AlertError.unknownRule(name) }
        try await reloadRules(at: now)
    }

    /// Raises an alert from outside the rules (e.g. a flagged training run); returns nil if it is already firing.
    @discardableResult
    public func raise(
        rule: String, severity: String, labels: [String: String], annotations: [String: String], at now: Date
    ) async throws -> Alert? {
        let fingerprint = AlertFingerprint.of(rule: rule, labels: labels)
        if try await store.firingAlerts().contains(where: { $0.fingerprint == fingerprint }) { return nil }
        var annotations = annotations
        annotations["since"] = annotations["since"] ?? RFC3339.format(now)
        let alert = Alert(
            fingerprint: fingerprint, rule: rule, severity: severity, status: .firing, labels: labels,
            annotations: annotations, startsAt: now
        )
        try await perform([.fire(alert)], at: now)
        return alert
    }

    /// Resolves an alert raised with `raise`; returns nil if it was not firing.
    @discardableResult
    public func resolve(rule: String, labels: [String: String], reason: String, at now: Date) async throws -> Alert? {
        let fingerprint = AlertFingerprint.of(rule: rule, labels: labels)
        guard var alert = try await store.firingAlerts().first(where: { $0.fingerprint == fingerprint }) else { return nil }
        alert.status = .resolved
        alert.endsAt = now
        alert.annotations["resolved_reason"] = reason
        try await perform([.resolve(alert)], at: now)
        return alert
    }

    private func reloadRules(at now: Date) async throws {
        let actions = evaluator.handle(.setRules(Self.merge(baseRules, try await store.rules()), at: now))
        try await perform(actions, at: now)
    }

    private func perform(_ actions: [AlertEvaluator.Action], at now: Date) async throws {
        guard !actions.isEmpty else { return }
        for action in actions {
            switch action {
            case .fire(let alert), .resolve(let alert):
                let deliveries = receivers.map { AlertDelivery(receiver: $0, alert: alert, at: now) }
                try await store.record(alert, deliveries: deliveries)
                logger.info(
                    alert.status == .firing ? "alert firing" : "alert resolved",
                    metadata: [
                        "alert.rule": "\(alert.rule)", "alert.fingerprint": "\(alert.fingerprint)",
                        "alert.summary": "\(alert.annotations["summary"] ?? "")",
                    ]
                )
            case .update(let alert):
                try await store.record(alert, deliveries: [])
            }
        }
        try await refreshGauge()
    }

    private func refreshGauge() async throws {
        firingGauge.record(try await store.firingAlerts().count)
    }

    static func merge(_ base: [AlertRule], _ stored: [AlertRule]) -> [AlertRule] {
        let overrides = Dictionary(stored.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        let baseNames = Set(base.map(\.name))
        return base.map { overrides[$0.name] ?? $0 } + stored.filter { !baseNames.contains($0.name) }
    }
}
