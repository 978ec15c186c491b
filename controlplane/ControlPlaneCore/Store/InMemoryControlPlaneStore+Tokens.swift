import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension InMemoryControlPlaneStore {
    /// Stores a new token.
    public func insertToken(_ token: TokenRecord) async throws {
        state.withLock { $0.tokens[token.id] = token }
    }

    /// The token whose secret hashes to `secretHash`.
    public func token(secretHash: String) async throws -> TokenRecord? {
        state.withLock { $0.tokens.values.first { $0.secretHash == secretHash } }
    }

    /// All tokens, newest first.
    public func tokens() async throws -> [TokenRecord] {
        state.withLock { $0.tokens.values.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) } }
    }

    /// Revokes one token.
    public func revokeToken(id: String, at: Date) async throws -> Bool {
        state.withLock { s in
            guard var token = s.tokens[id], token.revokedAt == nil else { return false }
            token.revokedAt = at
            s.tokens[id] = token
            return true
        }
    }

    /// Revokes an agent's tokens.
    public func revokeAgentTokens(agentID: String, at: Date) async throws -> Int {
        state.withLock { s in
            var count = 0
            for (id, var token) in s.tokens where token.agentID == agentID && token.revokedAt == nil {
                token.revokedAt = at
                s.tokens[id] = token
                count += 1
            }
            return count
        }
    }
}
