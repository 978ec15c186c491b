/// When and how to ask for a model to be retrained (one per model, from the configuration).
///
/// Fires when, for `consecutive_windows` windows in a row, at least `min_drifted_features` features have
/// PSI ≥ `psi_threshold`, or `validation_metric` is below `validation_floor`. After firing, nothing fires for
/// `cooldown_seconds`, and never while a request of the same model is in flight (dispatched, no version yet).
public struct RetrainPolicy: Codable, Sendable, Equatable {
    /// The model the policy watches.
    public var model: String
    /// K: how many features must drift in a window for the window to count (default 3).
    public var minDriftedFeatures: Int
    /// PSI at or above which a feature counts as drifted (default 0.2).
    public var psiThreshold: Double
    /// Validation metric to watch (e.g. `ndcg_at_10`), or nil to watch drift only.
    public var validationMetric: String?
    /// A window counts when the validation metric is below this floor.
    public var validationFloor: Double?
    /// N: windows in a row that must count before firing (default 3).
    public var consecutiveWindows: Int
    /// Seconds after a request during which no new request fires (default 86 400: one day).
    public var cooldownSeconds: Int
    /// A dispatched request without a resulting version is given up after this many seconds (default 172 800).
    public var inFlightTimeoutSeconds: Int
    /// Where the request goes: a webhook or a command.
    public var target: RetrainTarget

    /// Creates a policy.
    public init(
        model: String, minDriftedFeatures: Int = 3, psiThreshold: Double = 0.2, validationMetric: String? = nil,
        validationFloor: Double? = nil, consecutiveWindows: Int = 3, cooldownSeconds: Int = 86_400,
        inFlightTimeoutSeconds: Int = 172_800, target: RetrainTarget
    ) {
        self.model = model
        self.minDriftedFeatures = minDriftedFeatures
        self.psiThreshold = psiThreshold
        self.validationMetric = validationMetric
        self.validationFloor = validationFloor
        self.consecutiveWindows = consecutiveWindows
        self.cooldownSeconds = cooldownSeconds
        self.inFlightTimeoutSeconds = inFlightTimeoutSeconds
        self.target = target
    }

    /// Decodes, applying the defaults for missing keys.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decode(String.self, forKey: .model)
        minDriftedFeatures = try c.decodeIfPresent(Int.self, forKey: .minDriftedFeatures) ?? 3
        psiThreshold = try c.decodeIfPresent(Double.self, forKey: .psiThreshold) ?? 0.2
        validationMetric = try c.decodeIfPresent(String.self, forKey: .validationMetric)
        validationFloor = try c.decodeIfPresent(Double.self, forKey: .validationFloor)
        consecutiveWindows = try c.decodeIfPresent(Int.self, forKey: .consecutiveWindows) ?? 3
        cooldownSeconds = try c.decodeIfPresent(Int.self, forKey: .cooldownSeconds) ?? 86_400
        inFlightTimeoutSeconds = try c.decodeIfPresent(Int.self, forKey: .inFlightTimeoutSeconds) ?? 172_800
        target = try c.decode(RetrainTarget.self, forKey: .target)
    }

    /// Checks the policy and throws an error naming the field to fix.
    public func validate() throws(RetrainError) {
        if model.isEmpty { throw .invalidPolicy(field: "model", "name the model the retrain policy watches") }
        if minDriftedFeatures < 1 { throw .invalidPolicy(field: "min_drifted_features", "use 1 or more drifted features") }
        if !(psiThreshold > 0 && psiThreshold.isFinite) { throw .invalidPolicy(field: "psi_threshold", "use a positive PSI threshold, e.g. 0.2") }
        if (validationMetric == nil) != (validationFloor == nil) {
            throw .invalidPolicy(field: "validation_floor", "set both validation_metric and validation_floor, or neither")
        }
        if consecutiveWindows < 1 { throw .invalidPolicy(field: "consecutive_windows", "use 1 or more consecutive windows") }
        if cooldownSeconds < 0 { throw .invalidPolicy(field: "cooldown_seconds", "use a cooldown of 0 seconds or more") }
        if inFlightTimeoutSeconds < 1 { throw .invalidPolicy(field: "in_flight_timeout_seconds", "use a timeout of 1 second or more") }
        try target.validate()
    }

    enum CodingKeys: String, CodingKey {
        case model, minDriftedFeatures = "min_drifted_features", psiThreshold = "psi_threshold"
        case validationMetric = "validation_metric", validationFloor = "validation_floor"
        case consecutiveWindows = "consecutive_windows", cooldownSeconds = "cooldown_seconds"
        case inFlightTimeoutSeconds = "in_flight_timeout_seconds", target
    }
}

/// Where a retrain request is sent: `{"webhook": {"url": …}}` or `{"command": {"argv": [...]}}`.
public enum RetrainTarget: Codable, Sendable, Equatable {
    /// POST the request (evidence included) as JSON to a URL.
    case webhook(Webhook)
    /// Run a program (argv, no shell) with the request as JSON on stdin; exit 0 means accepted.
    case command(Command)

    /// A webhook target.
    public struct Webhook: Codable, Sendable, Equatable, CustomStringConvertible {
        /// Absolute http(s) URL.
        public var url: String
        /// Sent as `Authorization: Bearer …` (a secret: never logged).
        public var bearerToken: String?
        /// Total timeout in seconds (default 10).
        public var timeoutSeconds: Double

        /// Creates a webhook target.
        public init(url: String, bearerToken: String? = nil, timeoutSeconds: Double = 10) {
            self.url = url
            self.bearerToken = bearerToken
            self.timeoutSeconds = timeoutSeconds
        }

        /// Decodes, defaulting the timeout.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            url = try c.decode(String.self, forKey: .url)
            bearerToken = try c.decodeIfPresent(String.self, forKey: .bearerToken)
            timeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .timeoutSeconds) ?? 10
        }

        /// The target without its secret.
        public var description: String { "webhook \(url)" }

        enum CodingKeys: String, CodingKey {
            case url, bearerToken = "bearer_token", timeoutSeconds = "timeout_seconds"
        }
    }

    /// A command target.
    public struct Command: Codable, Sendable, Equatable {
        /// Program and arguments; the program is an absolute path or found on `PATH`. No shell is involved.
        public var argv: [String]
        /// Seconds before the program is terminated and the request marked failed (default 60).
        public var timeoutSeconds: Double

        /// Creates a command target.
        public init(argv: [String], timeoutSeconds: Double = 60) {
            self.argv = argv
            self.timeoutSeconds = timeoutSeconds
        }

        /// Decodes, defaulting the timeout.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            argv = try c.decode([String].self, forKey: .argv)
            timeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .timeoutSeconds) ?? 60
        }

        enum CodingKeys: String, CodingKey {
            case argv, timeoutSeconds = "timeout_seconds"
        }
    }

    /// `webhook` or `command`.
    public var kind: String {
        switch self {
        case .webhook: "webhook"
        case .command: "command"
        }
    }

    /// Checks the target.
    public func validate() throws(RetrainError) {
        switch self {
        case .webhook(let webhook):
            if !(webhook.url.hasPrefix("http://") || webhook.url.hasPrefix("https://")) {
                throw .invalidPolicy(field: "target.webhook.url", "use an absolute http:// or https:// URL")
            }
            if !(webhook.timeoutSeconds > 0) { throw .invalidPolicy(field: "target.webhook.timeout_seconds", "use a positive timeout") }
        case .command(let command):
            if command.argv.first?.isEmpty ?? true {
                throw .invalidPolicy(field: "target.command.argv", "give the program and its arguments as a list, e.g. [\"/usr/local/bin/retrain\", \"--model\", \"ranker\"]")
            }
            if !(command.timeoutSeconds > 0) { throw .invalidPolicy(field: "target.command.timeout_seconds", "use a positive timeout") }
        }
    }

    /// Decodes `{"webhook": {...}}` or `{"command": {...}}`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let webhook = try c.decodeIfPresent(Webhook.self, forKey: .webhook) {
            self = .webhook(webhook)
        } else if let command = try c.decodeIfPresent(Command.self, forKey: .command) {
            self = .command(command)
        } else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: c.codingPath, debugDescription: "set target.webhook.url or target.command.argv")
            )
        }
    }

    /// Encodes `{"webhook": {...}}` or `{"command": {...}}`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .webhook(let webhook): try c.encode(webhook, forKey: .webhook)
        case .command(let command): try c.encode(command, forKey: .command)
        }
    }

    enum CodingKeys: String, CodingKey {
        case webhook, command
    }
}
