import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The evidence a retrain request carries: which features drifted and how much, which versions and zones, since when.
public struct RetrainEvidence: Codable, Sendable, Equatable {
    /// One drifted feature over the streak.
    public struct Feature: Codable, Sendable, Equatable {
        /// Feature name.
        public var name: String
        /// PSI in the last window.
        public var psi: Double
        /// Highest PSI over the streak.
        public var maxPSI: Double
        /// Windows of the streak in which it drifted.
        public var windows: Int

        /// Creates a feature entry.
        public init(name: String, psi: Double, maxPSI: Double, windows: Int) {
            self.name = name
            self.psi = psi
            self.maxPSI = maxPSI
            self.windows = windows
        }

        enum CodingKeys: String, CodingKey {
            case name, psi, maxPSI = "max_psi", windows
        }
    }

    /// The validation metric over the streak.
    public struct Validation: Codable, Sendable, Equatable {
        /// Metric name.
        public var metric: String
        /// The configured floor.
        public var floor: Double
        /// Values per window, oldest first.
        public var values: [Double]

        /// Creates a validation entry.
        public init(metric: String, floor: Double, values: [Double]) {
            self.metric = metric
            self.floor = floor
            self.values = values
        }
    }

    /// The model.
    public var model: String
    /// `drift`, `validation_decay` or both.
    public var reasons: [String]
    /// Start of the first window of the streak.
    public var since: Date
    /// End of the last window.
    public var until: Date
    /// Windows in the streak.
    public var windows: Int
    /// Drifted features, most drifted first.
    public var features: [Feature]
    /// Versions seen during the streak.
    public var versions: [String]
    /// Zones seen during the streak.
    public var zones: [String]
    /// The validation metric, when the policy watches one.
    public var validation: Validation?
    /// The PSI threshold of the policy.
    public var psiThreshold: Double
    /// K of the policy.
    public var minDriftedFeatures: Int

    /// Creates evidence.
    public init(
        model: String, reasons: [String], since: Date, until: Date, windows: Int, features: [Feature], versions: [String],
        zones: [String], validation: Validation?, psiThreshold: Double, minDriftedFeatures: Int
    ) {
        self.model = model
        self.reasons = reasons
        self.since = since
        self.until = until
        self.windows = windows
        self.features = features
        self.versions = versions
        self.zones = zones
        self.validation = validation
        self.psiThreshold = psiThreshold
        self.minDriftedFeatures = minDriftedFeatures
    }

    enum CodingKeys: String, CodingKey {
        case model, reasons, since, until, windows, features, versions, zones, validation
        case psiThreshold = "psi_threshold", minDriftedFeatures = "min_drifted_features"
    }
}

/// A recorded retrain request and its outcome (listed by `GET /v1/retraining`; the JSON sent to the target).
public struct RetrainRequest: Codable, Sendable, Equatable {
    /// Where a request stands.
    public enum State: String, Codable, Sendable, CaseIterable {
        /// Created, being dispatched.
        case pending
        /// The target accepted it (2xx or exit 0); waiting for a retrained version.
        case dispatched
        /// The target refused it or could not be reached; not in flight.
        case failed
        /// A version retrained from the model was registered.
        case completed
        /// No version arrived within the in-flight timeout.
        case expired

        /// Whether a request in this state blocks another one for the same model.
        public var isInFlight: Bool { self == .pending || self == .dispatched }
    }

    /// Request id (`rt-<model>-<time>`), also sent to the target so it can put it in the new version's lineage.
    public var id: String
    /// The model to retrain.
    public var model: String
    /// Where it stands.
    public var state: State
    /// `webhook` or `command`.
    public var target: String
    /// Why and with what evidence.
    public var evidence: RetrainEvidence
    /// When it fired.
    public var createdAt: Date
    /// When the target accepted it.
    public var dispatchedAt: Date?
    /// When it ended (failed, completed, expired).
    public var finishedAt: Date?
    /// What happened: HTTP status, exit code, error or the version that closed the loop.
    public var outcome: String?
    /// The retrained version that closed the loop.
    public var resultVersion: String?

    /// Creates a pending request.
    public init(id: String, model: String, target: String, evidence: RetrainEvidence, createdAt: Date) {
        self.id = id
        self.model = model
        self.state = .pending
        self.target = target
        self.evidence = evidence
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, model, state, target, evidence, createdAt = "created_at", dispatchedAt = "dispatched_at"
        case finishedAt = "finished_at", outcome, resultVersion = "result_version"
    }
}
