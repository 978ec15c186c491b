/// The `DROVER_ALERTING_*` environment variables over the `alerting` section of the config file.
///
/// | key (`alerting.…`) | environment |
/// |---|---|
/// | `external_url` | `DROVER_ALERTING_EXTERNAL_URL` |
/// | `evaluation_interval_seconds` | `DROVER_ALERTING_EVALUATION_INTERVAL_SECONDS` |
/// | `range_seconds` | `DROVER_ALERTING_RANGE_SECONDS` |
/// | `min_requests` | `DROVER_ALERTING_MIN_REQUESTS` |
/// | `min_drift_samples` | `DROVER_ALERTING_MIN_DRIFT_SAMPLES` |
/// | `failover_horizon_seconds` | `DROVER_ALERTING_FAILOVER_HORIZON_SECONDS` |
/// | `delivery_max_attempts` | `DROVER_ALERTING_DELIVERY_MAX_ATTEMPTS` |
/// | `backoff_initial_seconds` / `backoff_max_seconds` | `DROVER_ALERTING_BACKOFF_INITIAL_SECONDS` / `…_MAX_SECONDS` |
/// | `retrain_window_seconds` | `DROVER_ALERTING_RETRAIN_WINDOW_SECONDS` |
/// | a receiver named `env` | `DROVER_ALERTING_WEBHOOK_URL`, `DROVER_ALERTING_WEBHOOK_BEARER_TOKEN` (a secret) |
///
/// Lists (`receivers`, `rules`, `retrain_policies`) stay in the file; the one webhook receiver from the environment
/// replaces a file receiver named `env` or is added to the others.
extension AlertingConfiguration {
    /// A variable that does not hold a value of its key's type.
    public struct EnvironmentError: Error, Sendable, Equatable, CustomStringConvertible {
        private enum Code: Sendable, Equatable {
            case notANumber
            case missingURL
        }

        private let code: Code
        /// The variable to fix.
        public let variable: String
        /// What is wrong and what to write instead.
        public let message: String

        private init(_ code: Code, variable: String, _ message: String) {
            self.code = code
            self.variable = variable
            self.message = message
        }

        /// The variable is set but is not a number of the right kind.
        static func notANumber(_ variable: String, value: String, kind: String) -> Self {
            Self(.notANumber, variable: variable, "\(variable)=\(value) is not \(kind); set \(kind) or unset it")
        }

        /// A webhook token without a webhook URL.
        static func missingURL() -> Self {
            Self(
                .missingURL, variable: "DROVER_ALERTING_WEBHOOK_URL",
                "DROVER_ALERTING_WEBHOOK_BEARER_TOKEN is set but DROVER_ALERTING_WEBHOOK_URL is not; set the URL too")
        }

        /// `message`.
        public var description: String { message }
    }

    /// The receiver name used for `DROVER_ALERTING_WEBHOOK_URL`.
    public static let environmentReceiverName = "env"

    /// This configuration with the `DROVER_ALERTING_*` variables in `environment` applied (call `validate()` after).
    public func applyingEnvironment(_ environment: [String: String]) throws(EnvironmentError) -> AlertingConfiguration {
        var c = self
        func number(_ name: String) throws(EnvironmentError) -> Double? {
            guard let raw = environment["DROVER_ALERTING_" + name] else { return nil }
            guard let value = Double(raw), value.isFinite else {
                throw .notANumber("DROVER_ALERTING_" + name, value: raw, kind: "a number of seconds")
            }
            return value
        }
        func count(_ name: String) throws(EnvironmentError) -> Int? {
            guard let raw = environment["DROVER_ALERTING_" + name] else { return nil }
            guard let value = Int(raw) else {
                throw .notANumber("DROVER_ALERTING_" + name, value: raw, kind: "a whole number")
            }
            return value
        }
        if let url = environment["DROVER_ALERTING_EXTERNAL_URL"] { c.externalURL = url }
        if let v = try number("EVALUATION_INTERVAL_SECONDS") { c.evaluationIntervalSeconds = v }
        if let v = try number("RANGE_SECONDS") { c.rangeSeconds = v }
        if let v = try count("MIN_REQUESTS") { c.minRequests = v }
        if let v = try count("MIN_DRIFT_SAMPLES") { c.minDriftSamples = v }
        if let v = try number("FAILOVER_HORIZON_SECONDS") { c.failoverHorizonSeconds = v }
        if let v = try count("DELIVERY_MAX_ATTEMPTS") { c.deliveryMaxAttempts = v }
        if let v = try number("BACKOFF_INITIAL_SECONDS") { c.backoffInitialSeconds = v }
        if let v = try number("BACKOFF_MAX_SECONDS") { c.backoffMaxSeconds = v }
        if let v = try number("RETRAIN_WINDOW_SECONDS") { c.retrainWindowSeconds = v }
        let token = environment["DROVER_ALERTING_WEBHOOK_BEARER_TOKEN"]
        if let url = environment["DROVER_ALERTING_WEBHOOK_URL"] {
            let receiver = WebhookReceiver(name: Self.environmentReceiverName, url: url, bearerToken: token)
            c.receivers.removeAll { $0.name == Self.environmentReceiverName }
            c.receivers.append(receiver)
        } else if token != nil {
            throw .missingURL()
        }
        return c
    }
}
