#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An agent's enrolment request, sent with an enrol token; answered with its own credential.
public struct EnrollRequest: Codable, Sendable, Equatable {
    /// The agent's id, stable across restarts (e.g. `node-a/ranker-0`).
    public var agentID: String
    /// Model the agent watches.
    public var model: String
    /// Labels used by rollout selectors (`zone`, `node`, `pool`, …).
    public var labels: [String: String]
    /// The inference server kind (`oip`, `torchserve`, `http`).
    public var serverKind: String?
    /// The agent's build version.
    public var agentVersion: String?

    /// Creates an enrolment request.
    public init(agentID: String, model: String, labels: [String: String] = [:], serverKind: String? = nil, agentVersion: String? = nil) {
        self.agentID = agentID
        self.model = model
        self.labels = labels
        self.serverKind = serverKind
        self.agentVersion = agentVersion
    }

    enum CodingKeys: String, CodingKey {
        case agentID = "agent_id", model, labels, serverKind = "server_kind", agentVersion = "agent_version"
    }
}

/// The credential an enrolled agent uses from then on (shown once; stored hashed by the control plane).
public struct EnrollResponse: Codable, Sendable, Equatable {
    /// The agent's id.
    public var agentID: String
    /// The agent's bearer token.
    public var token: String

    /// Creates an enrolment response.
    public init(agentID: String, token: String) {
        self.agentID = agentID
        self.token = token
    }

    enum CodingKeys: String, CodingKey {
        case agentID = "agent_id", token
    }
}

/// A liveness signal from an agent, with what it serves now.
public struct Heartbeat: Codable, Sendable, Equatable {
    /// The agent's id.
    public var agentID: String
    /// The version served now.
    public var version: String?
    /// Updated labels, if they changed.
    public var labels: [String: String]?
    /// Reports waiting in the agent's spool.
    public var spoolDepth: Int?
    /// The agent's own software version (sent at enrolment too; a heartbeat keeps it current across upgrades).
    public var agentVersion: String?

    /// Creates a heartbeat.
    public init(
        agentID: String, version: String? = nil, labels: [String: String]? = nil, spoolDepth: Int? = nil,
        agentVersion: String? = nil
    ) {
        self.agentID = agentID
        self.version = version
        self.labels = labels
        self.spoolDepth = spoolDepth
        self.agentVersion = agentVersion
    }

    enum CodingKeys: String, CodingKey {
        case agentID = "agent_id", version, labels, spoolDepth = "spool_depth", agentVersion = "agent_version"
    }
}

/// An agent as the control plane lists it.
public struct AgentInfo: Codable, Sendable, Equatable {
    /// Liveness as judged from the last report or heartbeat.
    public enum State: String, Codable, Sendable, CaseIterable {
        /// Reported recently.
        case active
        /// Silent longer than the stale threshold.
        case stale
        /// Silent longer than the lost threshold.
        case lost
    }

    /// The agent's id.
    public var agentID: String
    /// Model it watches.
    public var model: String
    /// Labels.
    public var labels: [String: String]
    /// Version it reported serving last.
    public var version: String?
    /// Desired version, if set.
    public var desiredVersion: String?
    /// Liveness.
    public var state: State
    /// When it was last heard from.
    public var lastSeen: Date?

    /// Creates agent info.
    public init(agentID: String, model: String, labels: [String: String], version: String?, desiredVersion: String?, state: State, lastSeen: Date?) {
        self.agentID = agentID
        self.model = model
        self.labels = labels
        self.version = version
        self.desiredVersion = desiredVersion
        self.state = state
        self.lastSeen = lastSeen
    }

    enum CodingKeys: String, CodingKey {
        case agentID = "agent_id", model, labels, version, desiredVersion = "desired_version", state, lastSeen = "last_seen"
    }
}
