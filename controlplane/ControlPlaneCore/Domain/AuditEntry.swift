#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One line of the audit log: who changed what, when.
public struct AuditEntry: Sendable, Equatable, Codable {
    /// Sequence number assigned by the store (0 before it is stored).
    public var sequence: Int64
    /// When.
    public var at: Date
    /// Who: `name (role)`.
    public var actor: String
    /// The token id used.
    public var tokenID: String
    /// What, as `resource.verb` (e.g. `version.register`, `desired.set`, `token.create`).
    public var action: String
    /// The object changed (e.g. `ranker/12`, `node-a/ranker-0`, `tok_…`).
    public var target: String
    /// Details (never secrets).
    public var detail: [String: String]

    /// Creates an audit entry.
    public init(
        sequence: Int64 = 0, at: Date, actor: String, tokenID: String, action: String, target: String,
        detail: [String: String] = [:]
    ) {
        self.sequence = sequence
        self.at = at
        self.actor = actor
        self.tokenID = tokenID
        self.action = action
        self.target = target
        self.detail = detail
    }

    /// An entry for `principal`.
    public init(principal: Principal, at: Date, action: String, target: String, detail: [String: String] = [:]) {
        self.init(at: at, actor: principal.actor, tokenID: principal.tokenID, action: action, target: target, detail: detail)
    }

    enum CodingKeys: String, CodingKey {
        case sequence, at, actor, tokenID = "token_id", action, target, detail
    }
}
