#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A stored agent: identity, labels and when it was last heard from.
public struct AgentRecord: Sendable, Equatable {
    /// The agent's id (e.g. `node-a/ranker-0`).
    public var id: String
    /// The model it watches.
    public var model: String
    /// Labels (`zone`, `node`, `pool`, …) used by selectors.
    public var labels: [String: String]
    /// The inference server kind.
    public var serverKind: String?
    /// The agent's build version.
    public var agentVersion: String?
    /// The version it last reported serving.
    public var version: String?
    /// When it enrolled (first time).
    public var enrolledAt: Date
    /// When it was last heard from (report or heartbeat).
    public var lastSeen: Date?
    /// Reports waiting in its spool at the last heartbeat.
    public var spoolDepth: Int?

    /// Creates an agent record.
    public init(
        id: String, model: String, labels: [String: String], serverKind: String? = nil, agentVersion: String? = nil,
        version: String? = nil, enrolledAt: Date, lastSeen: Date? = nil, spoolDepth: Int? = nil
    ) {
        self.id = id
        self.model = model
        self.labels = labels
        self.serverKind = serverKind
        self.agentVersion = agentVersion
        self.version = version
        self.enrolledAt = enrolledAt
        self.lastSeen = lastSeen
        self.spoolDepth = spoolDepth
    }

    /// The agent's zone label (empty when it has none); fleet health groups by it.
    public var zone: String { labels["zone"] ?? "" }

    /// Whether every pair of `selector` is among the labels.
    public func matches(_ selector: [String: String]) -> Bool {
        selector.allSatisfy { labels[$0.key] == $0.value }
    }
}

/// What changes when an agent is heard from.
public struct AgentSighting: Sendable, Equatable {
    /// The agent.
    public var agentID: String
    /// When.
    public var at: Date
    /// The version it serves, when it said.
    public var version: String?
    /// New labels, when it sent them.
    public var labels: [String: String]?
    /// Its spool depth, when it said.
    public var spoolDepth: Int?
    /// The agent's own software version, when it said (an upgraded agent keeps its enrolment).
    public var agentVersion: String?

    /// Creates a sighting.
    public init(
        agentID: String, at: Date, version: String? = nil, labels: [String: String]? = nil, spoolDepth: Int? = nil,
        agentVersion: String? = nil
    ) {
        self.agentID = agentID
        self.at = at
        self.version = version
        self.labels = labels
        self.spoolDepth = spoolDepth
        self.agentVersion = agentVersion
    }
}
