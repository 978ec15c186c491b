import DroverAPI

extension AlertRule {
    /// The rules the control plane evaluates when none are configured (documented in docs/alerts.md).
    public static let defaultRules: [AlertRule] = [
        AlertRule(name: "FeatureDrift", metric: AlertObservation.Metric.psi, op: .ge, threshold: 0.2, forSeconds: 300, severity: "warning"),
        AlertRule(name: "HighErrorRate", metric: AlertObservation.Metric.errorRate, op: .ge, threshold: 0.05, forSeconds: 300, severity: "critical"),
        AlertRule(name: "HighLatencyP99", metric: AlertObservation.Metric.latencyP99, op: .ge, threshold: 250, forSeconds: 300, severity: "warning"),
        AlertRule(
            name: "ValidationDecay", metric: AlertObservation.Metric.validationDecay, op: .ge, threshold: 0.05, forSeconds: 900,
            severity: "warning"
        ),
        AlertRule(name: "AgentLost", metric: AlertObservation.Metric.agentLost, op: .ge, threshold: 1, forSeconds: 0, severity: "critical"),
        AlertRule(name: "FailoverHappened", metric: AlertObservation.Metric.failover, op: .ge, threshold: 1, forSeconds: 0, severity: "critical"),
    ]

    /// Checks a rule and throws an error naming the field to fix.
    public func validate() throws(AlertError) {
        if name.isEmpty || name.count > 128 { throw .invalidRule(field: "name", "give the rule a name of 1 to 128 characters") }
        if !name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }) {
            throw .invalidRule(field: "name", "use letters, digits, '_', '-' or '.' in the rule name")
        }
        if metric.isEmpty { throw .invalidRule(field: "metric", "name the metric the rule reads, e.g. psi or error_rate") }
        if !threshold.isFinite { throw .invalidRule(field: "threshold", "use a finite number as threshold") }
        if forSeconds < 0 { throw .invalidRule(field: "for_seconds", "use a for-duration of 0 seconds or more") }
        if !["critical", "warning", "info"].contains(severity) {
            throw .invalidRule(field: "severity", "use severity critical, warning or info")
        }
    }
}
