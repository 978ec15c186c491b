#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An alert raised by the control plane; deduplicated by `fingerprint`.
public struct Alert: Codable, Sendable, Equatable {
    /// Firing or resolved.
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// The condition holds.
        case firing
        /// The condition no longer holds.
        case resolved
    }

    /// Stable hash of the rule name and labels: the same condition never raises two alerts.
    public var fingerprint: String
    /// The rule that raised it.
    public var rule: String
    /// `critical`, `warning` or `info`.
    public var severity: String
    /// Firing or resolved.
    public var status: Status
    /// Identifying labels (model, version, zone, feature, …).
    public var labels: [String: String]
    /// Evidence for people: summary, values, thresholds, since when, links.
    public var annotations: [String: String]
    /// When the condition started.
    public var startsAt: Date
    /// When it resolved.
    public var endsAt: Date?

    /// Creates an alert.
    public init(
        fingerprint: String, rule: String, severity: String, status: Status, labels: [String: String],
        annotations: [String: String], startsAt: Date, endsAt: Date? = nil
    ) {
        self.fingerprint = fingerprint
        self.rule = rule
        self.severity = severity
        self.status = status
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
    }

    enum CodingKeys: String, CodingKey {
        case fingerprint, rule, severity, status, labels, annotations, startsAt = "starts_at", endsAt = "ends_at"
    }
}

/// A rule over fleet health or drift that raises alerts.
public struct AlertRule: Codable, Sendable, Equatable {
    /// Rule name, e.g. `FeatureDrift`.
    public var name: String
    /// Metric the rule reads: `psi`, `error_rate`, `latency_p99_ms`, `roc_auc`, `ndcg_at_10`, `agent_lost`, `failover`, …
    public var metric: String
    /// Restrict to one model (nil: all).
    public var model: String?
    /// Fires when `value op threshold`.
    public var op: Gate.Op
    /// Threshold.
    public var threshold: Double
    /// The condition must hold this long before firing.
    public var forSeconds: Int
    /// `critical`, `warning` or `info`.
    public var severity: String

    /// Creates a rule.
    public init(name: String, metric: String, model: String? = nil, op: Gate.Op, threshold: Double, forSeconds: Int = 0, severity: String = "warning") {
        self.name = name
        self.metric = metric
        self.model = model
        self.op = op
        self.threshold = threshold
        self.forSeconds = forSeconds
        self.severity = severity
    }

    enum CodingKeys: String, CodingKey {
        case name, metric, model, op, threshold, forSeconds = "for_seconds", severity
    }
}
