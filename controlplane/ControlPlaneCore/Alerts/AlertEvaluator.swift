import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Evaluates alert rules over fleet-health observations: a pure state machine with no clock and no I/O.
///
/// For each rule, observations of its metric are grouped by their identity labels (all labels except the
/// aggregated ones, by default `version`, `zone` and `agent`, which become evidence instead). A group whose
/// worst value breaches the threshold turns *pending*, then *firing* once it has breached for the rule's
/// `for_seconds`. A firing alert is never raised again while it fires (its fingerprint is its identity);
/// it resolves when the group is observed within the threshold again, or after `staleAfterSeconds` without data.
public struct AlertEvaluator: Sendable {
    /// Tuning of the evaluator.
    public struct Configuration: Sendable, Equatable {
        /// Labels folded into evidence instead of splitting alerts (one alert per model × feature, not per zone).
        public var aggregatedLabels: Set<String>
        /// A firing alert without any observation for this long resolves (reason: no data).
        public var staleAfterSeconds: Double

        /// Creates a configuration.
        public init(aggregatedLabels: Set<String> = ["version", "zone", "agent"], staleAfterSeconds: Double = 600) {
            self.aggregatedLabels = aggregatedLabels
            self.staleAfterSeconds = staleAfterSeconds
        }
    }

    /// What the evaluator reacts to.
    public enum Event: Sendable {
        /// One evaluation round over the current observations, at the given time.
        case evaluate([AlertObservation], at: Date)
        /// Replaces the rules; alerts of removed rules resolve.
        case setRules([AlertRule], at: Date)
        /// Re-adopts alerts that were firing before a restart, so they are not raised twice.
        case restore([Alert], at: Date)
    }

    /// What the owner must do.
    public enum Action: Sendable, Equatable {
        /// A new alert fires: store it and notify.
        case fire(Alert)
        /// A firing alert's evidence changed (more zones, a worse value): store it, do not notify again.
        case update(Alert)
        /// A firing alert resolved: store it and notify.
        case resolve(Alert)
    }

    private struct Series: Sendable {
        var rule: String
        var labels: [String: String]
        var since: Date
        var lastSeen: Date
        var alert: Alert?
    }

    /// The configuration in use.
    public let configuration: Configuration
    /// The rules in use, in order.
    public private(set) var rules: [AlertRule]
    private var series: [String: Series] = [:]

    /// Creates an evaluator with rules (defaults: `AlertRule.defaultRules`).
    public init(rules: [AlertRule] = AlertRule.defaultRules, configuration: Configuration = .init()) {
        self.rules = rules
        self.configuration = configuration
    }

    /// Alerts currently firing, ordered by start time then fingerprint.
    public var firing: [Alert] {
        series.values.compactMap(\.alert).sorted { ($0.startsAt, $0.fingerprint) < ($1.startsAt, $1.fingerprint) }
    }

    /// Number of conditions breaching but still inside their for-duration.
    public var pendingCount: Int { series.values.count { $0.alert == nil } }

    /// Handles one event and returns what to do.
    public mutating func handle(_ event: Event) -> [Action] {
        switch event {
        case .evaluate(let observations, let at):
            return evaluate(observations, at: at)
        case .setRules(let newRules, let at):
            rules = newRules
            let names = Set(newRules.map(\.name))
            var actions: [Action] = []
            for (fingerprint, s) in series.sorted(by: { $0.key < $1.key }) where !names.contains(s.rule) {
                series[fingerprint] = nil
                if let alert = s.alert { actions.append(.resolve(Self.resolved(alert, at: at, reason: "rule removed"))) }
            }
            return actions
        case .restore(let alerts, let at):
            let names = Set(rules.map(\.name))
            for alert in alerts where alert.status == .firing && names.contains(alert.rule) {
                series[alert.fingerprint] = Series(rule: alert.rule, labels: alert.labels, since: alert.startsAt, lastSeen: at, alert: alert)
            }
            return []
        }
    }

    private mutating func evaluate(_ observations: [AlertObservation], at: Date) -> [Action] {
        var actions: [Action] = []
        var seen: Set<String> = []
        let byMetric = Dictionary(grouping: observations.filter { $0.value.isFinite }, by: \.metric)
        for rule in rules {
            let matching = (byMetric[rule.metric] ?? []).filter { rule.model == nil || $0.labels["model"] == rule.model }
            let groups = Dictionary(grouping: matching) { identity(of: $0) }
                .map { (fingerprint: AlertFingerprint.of(rule: rule.name, labels: $0.key), labels: $0.key, group: $0.value) }
                .sorted { $0.fingerprint < $1.fingerprint }
            for (fingerprint, labels, group) in groups {
                seen.insert(fingerprint)
                let breaching = group.filter { Self.holds(rule.op, $0.value, rule.threshold) }
                guard let worst = Self.worst(breaching, op: rule.op) else {
                    // Observed and within the threshold: the condition cleared.
                    if let s = series.removeValue(forKey: fingerprint), let alert = s.alert {
                        let current = Self.worst(group, op: rule.op)?.value
                        let reason = current.map { "condition cleared: \(rule.metric) \(AlertObservation.format($0))" } ?? "condition cleared"
                        actions.append(.resolve(Self.resolved(alert, at: at, reason: reason)))
                    }
                    continue
                }
                var s = series[fingerprint] ?? Series(rule: rule.name, labels: labels, since: at, lastSeen: at, alert: nil)
                s.lastSeen = at
                let annotations = self.annotations(rule: rule, labels: labels, worst: worst, breaching: breaching, since: s.since)
                if var alert = s.alert {
                    if alert.annotations.filter({ $0.key != "value" }) != annotations.filter({ $0.key != "value" }) {
                        alert.annotations = annotations
                        s.alert = alert
                        actions.append(.update(alert))
                    }
                } else if at.timeIntervalSince(s.since) >= Double(rule.forSeconds) {
                    let alert = Alert(
                        fingerprint: fingerprint, rule: rule.name, severity: rule.severity, status: .firing, labels: labels,
                        annotations: annotations, startsAt: s.since
                    )
                    s.alert = alert
                    actions.append(.fire(alert))
                }
                series[fingerprint] = s
            }
        }
        // Series without any observation this round: pending ones reset, firing ones resolve once stale.
        for (fingerprint, s) in series.sorted(by: { $0.key < $1.key }) where !seen.contains(fingerprint) {
            guard let alert = s.alert else {
                series[fingerprint] = nil
                continue
            }
            if at.timeIntervalSince(s.lastSeen) >= configuration.staleAfterSeconds {
                series[fingerprint] = nil
                let reason = "no data for \(Int(configuration.staleAfterSeconds))s"
                actions.append(.resolve(Self.resolved(alert, at: at, reason: reason)))
            }
        }
        return actions
    }

    private func identity(of observation: AlertObservation) -> [String: String] {
        observation.labels.filter { !configuration.aggregatedLabels.contains($0.key) }
    }

    private func annotations(
        rule: AlertRule, labels: [String: String], worst: AlertObservation, breaching: [AlertObservation], since: Date
    ) -> [String: String] {
        var out = worst.evidence
        let value = AlertObservation.format(worst.value)
        let threshold = AlertObservation.format(rule.threshold)
        out["metric"] = rule.metric
        out["value"] = value
        out["threshold"] = threshold
        out["condition"] = "\(rule.metric) \(Self.symbol(rule.op)) \(threshold) for \(rule.forSeconds)s"
        out["since"] = RFC3339.format(since)
        if let feature = labels["feature"] { out["feature"] = feature }
        var summary = "\(rule.name)"
        if let model = labels["model"] { summary += " on model \(model)" }
        if let feature = labels["feature"] { summary += ", feature \(feature)" }
        summary += ": \(rule.metric) \(value) \(Self.symbol(rule.op)) \(threshold) since \(RFC3339.format(since))"
        for key in configuration.aggregatedLabels.sorted() {
            let values = Set(breaching.compactMap { $0.labels[key] }).sorted()
            guard !values.isEmpty else { continue }
            out[key + "s"] = values.joined(separator: ", ")
            summary += "; \(key)s \(values.joined(separator: ", "))"
        }
        if let reason = worst.evidence["failover_reason"] {
            summary += "; failover \(worst.evidence["failover_from"] ?? "?") -> \(worst.evidence["failover_to"] ?? "?"): \(reason)"
        }
        out["summary"] = summary
        return out
    }

    private static func resolved(_ alert: Alert, at: Date, reason: String) -> Alert {
        var alert = alert
        alert.status = .resolved
        alert.endsAt = at
        alert.annotations["resolved_reason"] = reason
        return alert
    }

    /// Whether `value op threshold` holds.
    static func holds(_ op: Gate.Op, _ value: Double, _ threshold: Double) -> Bool {
        switch op {
        case .lt: value < threshold
        case .le: value <= threshold
        case .gt: value > threshold
        case .ge: value >= threshold
        }
    }

    static func symbol(_ op: Gate.Op) -> String {
        switch op {
        case .lt: "<"
        case .le: "<="
        case .gt: ">"
        case .ge: ">="
        }
    }

    private static func worst(_ observations: [AlertObservation], op: Gate.Op) -> AlertObservation? {
        switch op {
        case .gt, .ge: observations.max { $0.value < $1.value }
        case .lt, .le: observations.min { $0.value < $1.value }
        }
    }
}
