import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One value of a fleet-health metric for one label set, as the alert evaluator sees it.
///
/// Labels name the series (`model`, `version`, `zone`, `feature`, `agent`, …); `evidence` carries
/// extra context for people (e.g. the failover's `from`/`to`/`reason`) and never enters the fingerprint.
public struct AlertObservation: Sendable, Equatable {
    /// Metric name, matched against `AlertRule.metric` (`psi`, `error_rate`, `latency_p99_ms`, …).
    public var metric: String
    /// The observed value; non-finite values are treated as "no data".
    public var value: Double
    /// Labels of the series.
    public var labels: [String: String]
    /// Extra context copied into the alert's annotations.
    public var evidence: [String: String]

    /// Creates an observation.
    public init(metric: String, value: Double, labels: [String: String], evidence: [String: String] = [:]) {
        self.metric = metric
        self.value = value
        self.labels = labels
        self.evidence = evidence
    }
}

extension AlertObservation {
    /// Metric names the default rules read (producers of observations use these).
    public enum Metric {
        /// Population stability index of one feature (labels: model, version, zone, feature).
        public static let psi = "psi"
        /// Errors / requests over the evaluation range (labels: model, version, zone).
        public static let errorRate = "error_rate"
        /// 99th percentile latency in milliseconds (labels: model, version, zone).
        public static let latencyP99 = "latency_p99_ms"
        /// Relative drop of a validation metric below the version's offline value, 0…1 (labels: model, version, zone, validation_metric).
        public static let validationDecay = "validation_decay"
        /// 1 for an agent that turned lost (labels: model, agent, zone).
        public static let agentLost = "agent_lost"
        /// Number of failovers in the recent incident horizon (labels: model, agent, zone).
        public static let failover = "failover"
    }

    /// A PSI observation for one feature of one model × version × zone.
    public static func featureDrift(model: String, version: String, zone: String?, feature: String, psi: Double) -> Self {
        Self(metric: Metric.psi, value: psi, labels: compact(["model": model, "version": version, "zone": zone, "feature": feature]))
    }

    /// The relative decay of a validation metric: `(offline - observed) / offline` (0 when it did not drop).
    public static func validationDecay(
        model: String, version: String, zone: String?, metric: String, observed: Double, offline: Double
    ) -> Self {
        let decay = offline > 0 ? max(0, (offline - observed) / offline) : 0
        return Self(
            metric: Metric.validationDecay, value: decay,
            labels: compact(["model": model, "version": version, "zone": zone, "validation_metric": metric]),
            evidence: ["observed": format(observed), "offline": format(offline)]
        )
    }

    /// An agent that stopped reporting and turned lost.
    public static func agentLost(model: String, agent: String, zone: String?, lastSeen: Date?) -> Self {
        var evidence: [String: String] = [:]
        if let lastSeen { evidence["last_seen"] = RFC3339.format(lastSeen) }
        return Self(metric: Metric.agentLost, value: 1, labels: compact(["model": model, "agent": agent, "zone": zone]), evidence: evidence)
    }

    /// Failovers an agent performed recently (from its reports' incident events).
    public static func failover(
        model: String, agent: String, zone: String?, count: Int, from: String?, to: String?, reason: String, at: Date
    ) -> Self {
        Self(
            metric: Metric.failover, value: Double(count), labels: compact(["model": model, "agent": agent, "zone": zone]),
            evidence: compact(["failover_from": from, "failover_to": to, "failover_reason": reason, "failover_at": RFC3339.format(at)])
        )
    }

    static func compact(_ labels: [String: String?]) -> [String: String] {
        labels.compactMapValues { $0 }
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let rounded = (value * 10_000).rounded() / 10_000
        return rounded == 0 ? String(value) : String(rounded)
    }
}
