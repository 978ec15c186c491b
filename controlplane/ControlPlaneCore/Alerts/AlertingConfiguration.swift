import DroverAPI

/// Configuration of alerts, retraining and the training monitor (the `alerting` section of the config file).
///
/// Keys (snake_case in the file; defaults in parentheses): `receivers` (none), `external_url`
/// (`http://127.0.0.1:8480`), `rules` (the default rules), `evaluation_interval_seconds` (30),
/// `delivery_max_attempts` (12), `backoff_initial_seconds` (2), `backoff_max_seconds` (300),
/// `retrain_policies` (none), `retrain_window_seconds` (300), `range_seconds` (300: fleet health the rules read),
/// `min_requests` (100), `min_drift_samples` (500), `failover_horizon_seconds` (1800).
/// Receiver and webhook tokens are secrets: never logged.
public struct AlertingConfiguration: Codable, Sendable, Equatable {
    /// Webhooks every alert is delivered to.
    public var receivers: [WebhookReceiver]
    /// The control plane's URL as people reach it (links in alerts).
    public var externalURL: String
    /// Rules replacing the defaults, or nil for `AlertRule.defaultRules`.
    public var rules: [AlertRule]?
    /// Seconds between alert evaluations.
    public var evaluationIntervalSeconds: Double
    /// Attempts per webhook delivery before giving up.
    public var deliveryMaxAttempts: Int
    /// First retry delay in seconds (doubling).
    public var backoffInitialSeconds: Double
    /// Longest retry delay in seconds.
    public var backoffMaxSeconds: Double
    /// Retrain policies, one per model.
    public var retrainPolicies: [RetrainPolicy]
    /// Length of a retrain window in seconds (and how often one is evaluated).
    public var retrainWindowSeconds: Double
    /// Seconds of fleet health the rules read (error rate, latency, validation, drift).
    public var rangeSeconds: Double
    /// Requests a group needs before its error rate and latency count.
    public var minRequests: Int
    /// Values a feature needs before its PSI counts.
    public var minDriftSamples: Int
    /// Seconds a failover keeps its alert firing.
    public var failoverHorizonSeconds: Double

    /// Creates a configuration with the documented defaults.
    public init(
        receivers: [WebhookReceiver] = [], externalURL: String = "http://127.0.0.1:8480", rules: [AlertRule]? = nil,
        evaluationIntervalSeconds: Double = 30, deliveryMaxAttempts: Int = 12, backoffInitialSeconds: Double = 2,
        backoffMaxSeconds: Double = 300, retrainPolicies: [RetrainPolicy] = [], retrainWindowSeconds: Double = 300,
        rangeSeconds: Double = 300, minRequests: Int = 100, minDriftSamples: Int = 500, failoverHorizonSeconds: Double = 1800
    ) {
        self.receivers = receivers
        self.externalURL = externalURL
        self.rules = rules
        self.evaluationIntervalSeconds = evaluationIntervalSeconds
        self.deliveryMaxAttempts = deliveryMaxAttempts
        self.backoffInitialSeconds = backoffInitialSeconds
        self.backoffMaxSeconds = backoffMaxSeconds
        self.retrainPolicies = retrainPolicies
        self.retrainWindowSeconds = retrainWindowSeconds
        self.rangeSeconds = rangeSeconds
        self.minRequests = minRequests
        self.minDriftSamples = minDriftSamples
        self.failoverHorizonSeconds = failoverHorizonSeconds
    }

    /// Decodes, applying the defaults for missing keys.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = AlertingConfiguration()
        receivers = try c.decodeIfPresent([WebhookReceiver].self, forKey: .receivers) ?? d.receivers
        externalURL = try c.decodeIfPresent(String.self, forKey: .externalURL) ?? d.externalURL
        rules = try c.decodeIfPresent([AlertRule].self, forKey: .rules)
        evaluationIntervalSeconds = try c.decodeIfPresent(Double.self, forKey: .evaluationIntervalSeconds) ?? d.evaluationIntervalSeconds
        deliveryMaxAttempts = try c.decodeIfPresent(Int.self, forKey: .deliveryMaxAttempts) ?? d.deliveryMaxAttempts
        backoffInitialSeconds = try c.decodeIfPresent(Double.self, forKey: .backoffInitialSeconds) ?? d.backoffInitialSeconds
        backoffMaxSeconds = try c.decodeIfPresent(Double.self, forKey: .backoffMaxSeconds) ?? d.backoffMaxSeconds
        retrainPolicies = try c.decodeIfPresent([RetrainPolicy].self, forKey: .retrainPolicies) ?? d.retrainPolicies
        retrainWindowSeconds = try c.decodeIfPresent(Double.self, forKey: .retrainWindowSeconds) ?? d.retrainWindowSeconds
        rangeSeconds = try c.decodeIfPresent(Double.self, forKey: .rangeSeconds) ?? d.rangeSeconds
        minRequests = try c.decodeIfPresent(Int.self, forKey: .minRequests) ?? d.minRequests
        minDriftSamples = try c.decodeIfPresent(Int.self, forKey: .minDriftSamples) ?? d.minDriftSamples
        failoverHorizonSeconds = try c.decodeIfPresent(Double.self, forKey: .failoverHorizonSeconds) ?? d.failoverHorizonSeconds
    }

    /// How the fleet-health source judges traffic (range, minimum requests and drift samples, failover horizon).
    public var sourceConfiguration: FleetHealthAlertSource.Configuration {
        .init(rangeSeconds: rangeSeconds, failoverHorizonSeconds: failoverHorizonSeconds, minRequests: minRequests, minDriftSamples: minDriftSamples)
    }

    /// Checks every value and throws an error naming the key to fix.
    public func validate() throws {
        for receiver in receivers { try receiver.validate() }
        if Set(receivers.map(\.name)).count != receivers.count {
            throw AlertError.invalidReceiver(field: "receivers", "give every webhook receiver a different name")
        }
        for rule in rules ?? [] { try rule.validate() }
        if !(evaluationIntervalSeconds >= 1) {
            throw AlertError.invalidRule(field: "evaluation_interval_seconds", "evaluate at most once a second")
        }
        if deliveryMaxAttempts < 1 { throw AlertError.invalidReceiver(field: "delivery_max_attempts", "use 1 or more attempts") }
        if !(backoffInitialSeconds > 0 && backoffMaxSeconds >= backoffInitialSeconds) {
            throw AlertError.invalidReceiver(field: "backoff_max_seconds", "use 0 < backoff_initial_seconds <= backoff_max_seconds")
        }
        for policy in retrainPolicies { try policy.validate() }
        if Set(retrainPolicies.map(\.model)).count != retrainPolicies.count {
            throw RetrainError.invalidPolicy(field: "retrain_policies", "give each model at most one retrain policy")
        }
        if !(retrainWindowSeconds >= 10) {
            throw RetrainError.invalidPolicy(field: "retrain_window_seconds", "use a window of 10 seconds or more")
        }
        if !(rangeSeconds >= 1) { throw AlertError.invalidRule(field: "range_seconds", "read at least 1 second of fleet health") }
        if minRequests < 0 { throw AlertError.invalidRule(field: "min_requests", "use 0 or more requests") }
        if minDriftSamples < 0 { throw AlertError.invalidRule(field: "min_drift_samples", "use 0 or more values") }
        if !(failoverHorizonSeconds >= 1) {
            throw AlertError.invalidRule(field: "failover_horizon_seconds", "keep a failover alert for at least 1 second")
        }
    }

    enum CodingKeys: String, CodingKey {
        case receivers, externalURL = "external_url", rules, evaluationIntervalSeconds = "evaluation_interval_seconds"
        case deliveryMaxAttempts = "delivery_max_attempts", backoffInitialSeconds = "backoff_initial_seconds"
        case backoffMaxSeconds = "backoff_max_seconds", retrainPolicies = "retrain_policies"
        case retrainWindowSeconds = "retrain_window_seconds", rangeSeconds = "range_seconds", minRequests = "min_requests"
        case minDriftSamples = "min_drift_samples", failoverHorizonSeconds = "failover_horizon_seconds"
    }
}
