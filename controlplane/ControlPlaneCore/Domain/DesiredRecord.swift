import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The stored desired state of one agent.
public struct DesiredRecord: Sendable, Equatable {
    /// The agent.
    public var agentID: String
    /// Model.
    public var model: String
    /// Version to serve.
    public var version: String
    /// Monotonic generation (per agent).
    public var generation: Int64
    /// The rollout plan that set it.
    public var planID: String?
    /// Why.
    public var reason: String
    /// When it was set.
    public var updatedAt: Date
    /// Who set it.
    public var updatedBy: String

    /// Creates a desired-state record.
    public init(
        agentID: String, model: String, version: String, generation: Int64, planID: String? = nil, reason: String,
        updatedAt: Date, updatedBy: String
    ) {
        self.agentID = agentID
        self.model = model
        self.version = version
        self.generation = generation
        self.planID = planID
        self.reason = reason
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    /// The wire representation.
    public var dto: DesiredState {
        DesiredState(
            agentID: agentID, model: model, version: version, generation: generation, planID: planID, reason: reason,
            updatedAt: updatedAt)
    }
}

/// One agent's new desired version, before the store assigns its generation.
public struct DesiredTarget: Sendable, Equatable {
    /// The agent.
    public var agentID: String
    /// Model.
    public var model: String
    /// Version.
    public var version: String
    /// The rollout plan, if any.
    public var planID: String?
    /// Why.
    public var reason: String

    /// Creates a target.
    public init(agentID: String, model: String, version: String, planID: String? = nil, reason: String) {
        self.agentID = agentID
        self.model = model
        self.version = version
        self.planID = planID
        self.reason = reason
    }
}

/// The stored observed state of one agent.
public struct ObservedRecord: Sendable, Equatable {
    /// The agent.
    public var agentID: String
    /// Model.
    public var model: String
    /// Version actually served.
    public var version: String
    /// The desired generation it answers.
    public var generation: Int64
    /// Outcome.
    public var status: ObservedState.Status
    /// Error text, when failed.
    public var error: String?
    /// When the agent observed it.
    public var observedAt: Date
    /// When the control plane received it.
    public var receivedAt: Date

    /// Creates an observed-state record.
    public init(
        agentID: String, model: String, version: String, generation: Int64, status: ObservedState.Status, error: String? = nil,
        observedAt: Date, receivedAt: Date
    ) {
        self.agentID = agentID
        self.model = model
        self.version = version
        self.generation = generation
        self.status = status
        self.error = error
        self.observedAt = observedAt
        self.receivedAt = receivedAt
    }

    /// The wire representation.
    public var dto: ObservedState {
        ObservedState(
            agentID: agentID, model: model, version: version, generation: generation, status: status, error: error,
            observedAt: observedAt)
    }
}
