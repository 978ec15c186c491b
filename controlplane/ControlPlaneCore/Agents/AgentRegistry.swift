import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An agent with its liveness, desired and observed state.
public struct AgentView: Sendable, Equatable {
    /// The stored agent.
    public var agent: AgentRecord
    /// Liveness now.
    public var state: AgentInfo.State
    /// Its desired state.
    public var desired: DesiredRecord?
    /// Its observed state.
    public var observed: ObservedRecord?

    /// The wire summary.
    public var info: AgentInfo {
        AgentInfo(
            agentID: agent.id, model: agent.model, labels: agent.labels, version: agent.version,
            desiredVersion: desired?.version, state: state, lastSeen: agent.lastSeen)
    }
}

/// Enrolment, heartbeats and listing of agents.
public struct AgentRegistry: Sendable {
    let store: any ControlPlaneStore
    let tokens: TokenService
    let clock: WallClock
    /// The liveness thresholds.
    public let liveness: LivenessPolicy

    /// Creates the registry.
    public init(store: any ControlPlaneStore, tokens: TokenService, clock: WallClock = .system, liveness: LivenessPolicy = .init()) {
        self.store = store
        self.tokens = tokens
        self.clock = clock
        self.liveness = liveness
    }

    /// Enrols (or re-enrols) an agent and issues its credential; earlier credentials of that agent are revoked.
    public func enroll(_ request: EnrollRequest, by principal: Principal) async throws -> EnrollResponse {
        try principal.require(.agentsEnroll)
        let now = clock.now()
        try await store.upsertAgent(
            AgentRecord(
                id: request.agentID, model: request.model, labels: request.labels, serverKind: request.serverKind,
                agentVersion: request.agentVersion, enrolledAt: now, lastSeen: now))
        let issued = try await tokens.issueAgentToken(agentID: request.agentID, by: principal)
        try await store.appendAudit(
            AuditEntry(
                principal: principal, at: now, action: "agent.enroll", target: request.agentID,
                detail: ["model": request.model, "token_id": issued.record.id]))
        return EnrollResponse(agentID: request.agentID, token: issued.secret)
    }

    /// Records a heartbeat from the agent itself.
    public func heartbeat(_ heartbeat: Heartbeat, by principal: Principal) async throws {
        try principal.requireAgent(heartbeat.agentID)
        let seen = try await store.recordSightings([
            AgentSighting(
                agentID: heartbeat.agentID, at: clock.now(), version: heartbeat.version, labels: heartbeat.labels,
                spoolDepth: heartbeat.spoolDepth, agentVersion: heartbeat.agentVersion)
        ])
        guard seen.contains(heartbeat.agentID) else {
            throw ControlPlaneError.notFound("agent \"\(heartbeat.agentID)\" is not enrolled; enrol it first")
        }
    }

    /// Agents (optionally of one model, optionally in one state), with liveness evaluated now.
    public func list(model: String? = nil, state: AgentInfo.State? = nil) async throws -> [AgentView] {
        let now = clock.now()
        var out: [AgentView] = []
        for agent in try await store.agents(model: model) {
            let s = liveness.state(lastSeen: agent.lastSeen, enrolledAt: agent.enrolledAt, now: now)
            if let state, state != s { continue }
            out.append(AgentView(agent: agent, state: s, desired: try await store.desired(agentID: agent.id), observed: nil))
        }
        return out
    }

    /// One agent with its desired and observed state.
    public func show(_ agentID: String) async throws -> AgentView {
        guard let agent = try await store.agent(id: agentID) else {
            throw ControlPlaneError.notFound("agent \"\(agentID)\" is not enrolled")
        }
        return AgentView(
            agent: agent, state: liveness.state(lastSeen: agent.lastSeen, enrolledAt: agent.enrolledAt, now: clock.now()),
            desired: try await store.desired(agentID: agentID), observed: try await store.observed(agentID: agentID))
    }
}
