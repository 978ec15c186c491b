import ControlPlaneCore
import GRDB

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension SQLiteControlPlaneStore {
    /// Stores a new token.
    public func insertToken(_ token: TokenRecord) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO tokens (id, name, role, secret_hash, agent_id, created_at, created_by, revoked_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    token.id, token.name, token.role.rawValue, token.secretHash, token.agentID, SQLCodec.seconds(token.createdAt),
                    token.createdBy, SQLCodec.optionalSeconds(token.revokedAt),
                ])
        }
    }

    /// The token with this secret hash.
    public func token(secretHash: String) async throws -> TokenRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM tokens WHERE secret_hash = ?", arguments: [secretHash]).map(Self.token)
        }
    }

    /// All tokens, newest first.
    public func tokens() async throws -> [TokenRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM tokens ORDER BY created_at DESC, id DESC").map(Self.token)
        }
    }

    /// Revokes one token.
    public func revokeToken(id: String, at: Date) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [SQLCodec.seconds(at), id])
            return db.changesCount > 0
        }
    }

    /// Revokes an agent's tokens.
    public func revokeAgentTokens(agentID: String, at: Date) async throws -> Int {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE tokens SET revoked_at = ? WHERE agent_id = ? AND revoked_at IS NULL",
                arguments: [SQLCodec.seconds(at), agentID])
            return db.changesCount
        }
    }

    static func token(_ row: Row) throws -> TokenRecord {
        guard let role = Role(rawValue: row["role"]) else {
            throw ControlPlaneError.storage("token \(row["id"] as String) has unknown role \(row["role"] as String)")
        }
        return TokenRecord(
            id: row["id"], name: row["name"], role: role, secretHash: row["secret_hash"], agentID: row["agent_id"],
            createdAt: SQLCodec.date(row["created_at"] as Double), createdBy: row["created_by"],
            revokedAt: SQLCodec.optionalDate(row["revoked_at"] as Double?))
    }
}
