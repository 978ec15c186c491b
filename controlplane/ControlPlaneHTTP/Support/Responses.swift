import ControlPlaneCore
import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `GET /v1/agents/{id}`: an agent with its desired and observed state.
struct AgentDetail: Encodable {
    var agent: AgentInfo
    var enrolledAt: Date
    var serverKind: String?
    var agentVersion: String?
    var spoolDepth: Int?
    var desired: DesiredState?
    var observed: ObservedState?

    init(_ view: AgentView) {
        agent = view.info
        enrolledAt = view.agent.enrolledAt
        serverKind = view.agent.serverKind
        agentVersion = view.agent.agentVersion
        spoolDepth = view.agent.spoolDepth
        desired = view.desired?.dto
        observed = view.observed?.dto
    }

    enum CodingKeys: String, CodingKey {
        case agent, enrolledAt = "enrolled_at", serverKind = "server_kind", agentVersion = "agent_version"
        case spoolDepth = "spool_depth", desired, observed
    }
}

/// A token as listed (never the secret).
struct TokenSummary: Encodable {
    var id: String
    var name: String
    var role: String
    var agentID: String?
    var createdAt: Date
    var createdBy: String
    var revokedAt: Date?

    init(_ r: TokenRecord) {
        id = r.id
        name = r.name
        role = r.role.rawValue
        agentID = r.agentID
        createdAt = r.createdAt
        createdBy = r.createdBy
        revokedAt = r.revokedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, role, agentID = "agent_id", createdAt = "created_at", createdBy = "created_by", revokedAt = "revoked_at"
    }
}

/// `{"agents": [...]}` and friends: lists are wrapped so they can grow fields (paging) later.
struct AgentList: Encodable { var agents: [AgentInfo] }
/// Versions list.
struct VersionList: Encodable { var versions: [ModelVersion] }
/// Tokens list.
struct TokenList: Encodable { var tokens: [TokenSummary] }
/// Audit entries.
struct AuditList: Encodable { var entries: [AuditEntry] }
/// A stored profile's digest.
struct DigestBody: Encodable { var digest: String }
/// `/healthz` and `/readyz`.
struct StatusBody: Encodable { var status: String }
