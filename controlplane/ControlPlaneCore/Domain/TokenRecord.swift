#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A stored API token: its hash (never the secret), role and owner.
public struct TokenRecord: Sendable, Equatable {
    /// Public identifier (`tok_…`), safe to show and log.
    public var id: String
    /// Human name, e.g. `mei-laptop` or `agent:node-a/ranker-0`.
    public var name: String
    /// The role it grants.
    public var role: Role
    /// Lowercase hex SHA-256 of the secret.
    public var secretHash: String
    /// The agent it belongs to, for agent tokens.
    public var agentID: String?
    /// When it was created.
    public var createdAt: Date
    /// Who created it.
    public var createdBy: String
    /// When it was revoked, if it was.
    public var revokedAt: Date?

    /// Creates a token record.
    public init(
        id: String, name: String, role: Role, secretHash: String, agentID: String? = nil, createdAt: Date, createdBy: String,
        revokedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.secretHash = secretHash
        self.agentID = agentID
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.revokedAt = revokedAt
    }

    /// The principal this token authenticates.
    public var principal: Principal { Principal(tokenID: id, name: name, role: role, agentID: agentID) }
}
