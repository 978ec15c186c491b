#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The version an agent should serve, set by an operator or the rollout engine; `generation` only grows.
public struct DesiredState: Codable, Sendable, Equatable {
    /// Wire schema version.
    public var schemaVersion: Int
    /// The agent this applies to.
    public var agentID: String
    /// Model name.
    public var model: String
    /// Version to serve.
    public var version: String
    /// Monotonic generation: an agent applies a state only when it is newer than what it applied last.
    public var generation: Int64
    /// The rollout plan that set it, if any.
    public var planID: String?
    /// Why, for people and the audit log.
    public var reason: String
    /// When it was set.
    public var updatedAt: Date?

    /// Creates a desired state.
    public init(
        schemaVersion: Int = DroverAPIInfo.schemaVersion, agentID: String, model: String, version: String, generation: Int64,
        planID: String? = nil, reason: String, updatedAt: Date? = nil
    ) {
        self.schemaVersion = schemaVersion
        self.agentID = agentID
        self.model = model
        self.version = version
        self.generation = generation
        self.planID = planID
        self.reason = reason
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", agentID = "agent_id", model, version, generation, planID = "plan_id", reason
        case updatedAt = "updated_at"
    }
}

/// What an agent observed after applying (or failing to apply) a desired state.
public struct ObservedState: Codable, Sendable, Equatable {
    /// Outcome of the last apply.
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// The server serves the desired version.
        case applied
        /// Applying failed; see `error`.
        case failed
        /// The agent serves a backup version after a local failover.
        case failedOver = "failed_over"
    }

    /// The reporting agent.
    public var agentID: String
    /// Model name.
    public var model: String
    /// The version the server actually serves.
    public var version: String
    /// The desired generation this observation answers.
    public var generation: Int64
    /// Outcome.
    public var status: Status
    /// The server's error when `status` is `failed`.
    public var error: String?
    /// When it was observed.
    public var observedAt: Date

    /// Creates an observation.
    public init(agentID: String, model: String, version: String, generation: Int64, status: Status, error: String? = nil, observedAt: Date) {
        self.agentID = agentID
        self.model = model
        self.version = version
        self.generation = generation
        self.status = status
        self.error = error
        self.observedAt = observedAt
    }

    enum CodingKeys: String, CodingKey {
        case agentID = "agent_id", model, version, generation, status, error, observedAt = "observed_at"
    }
}

/// An operator's request to set the desired version of every agent matching a label selector.
public struct DesiredStateUpdate: Codable, Sendable, Equatable {
    /// Label selector: all pairs must match (e.g. `{"zone": "eu-1", "pool": "ranker"}`); empty matches all agents of `model`.
    public var selector: [String: String]
    /// Model name.
    public var model: String
    /// Version to serve.
    public var version: String
    /// Why.
    public var reason: String
    /// Set the version even though its declared input schema does not match the agents' traffic (audited).
    public var force: Bool?

    /// Creates an update.
    public init(selector: [String: String] = [:], model: String, version: String, reason: String, force: Bool? = nil) {
        self.selector = selector
        self.model = model
        self.version = version
        self.reason = reason
        self.force = force
    }
}
