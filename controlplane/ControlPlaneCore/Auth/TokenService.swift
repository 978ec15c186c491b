import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A token as just created: the record and the secret, which is shown once and never stored.
public struct IssuedToken: Sendable, Equatable {
    /// The stored record.
    public var record: TokenRecord
    /// The secret (`drv_…`).
    public var secret: String
}

/// Creates, authenticates and revokes API tokens. Authentication results are cached for `cacheTTL`
/// (keyed by hash; a token created here is cached at once, so a freshly enrolled agent's first report needs no
/// store read; revocation clears the cache and agent re-enrolment drops that agent's entries, so the TTL only
/// bounds how long a change made by another process sharing the store goes unseen).
public final class TokenService: Sendable {
    private let store: any TokenStore & AuditStore
    private let clock: WallClock
    private let cacheTTL: TimeInterval
    // Mutex-guarded cache of hash -> (principal or nil for revoked/unknown, expiry).
    private let cache = Mutex<[String: (TokenRecord?, Date)]>([:])

    /// Creates the service.
    public init(store: any TokenStore & AuditStore, clock: WallClock = .system, cacheTTL: TimeInterval = 60) {
        self.store = store
        self.clock = clock
        self.cacheTTL = cacheTTL
    }

    /// Creates a token for `role`, records who did it, and returns the secret once.
    public func create(role: Role, name: String, agentID: String? = nil, by principal: Principal) async throws -> IssuedToken {
        guard !name.isEmpty, name.utf8.count <= 128 else {
            throw ControlPlaneError.invalidField("name", "must be 1…128 bytes")
        }
        if role == .agent, agentID == nil {
            throw ControlPlaneError.invalidField("role", "agent tokens are issued by enrolment; create an enroll token instead")
        }
        let secret = TokenSecret.generate()
        let record = TokenRecord(
            id: TokenSecret.newID(), name: name, role: role, secretHash: TokenSecret.hash(secret), agentID: agentID,
            createdAt: clock.now(), createdBy: principal.actor)
        try await store.insertToken(record)
        cacheEntry(record, hash: record.secretHash, now: record.createdAt)
        try await store.appendAudit(
            AuditEntry(
                principal: principal, at: record.createdAt, action: "token.create", target: record.id,
                detail: ["role": role.rawValue, "name": name]))
        return IssuedToken(record: record, secret: secret)
    }

    /// The principal for a bearer secret; throws `unauthorized` for unknown, malformed or revoked tokens.
    public func authenticate(_ secret: String) async throws -> Principal {
        guard TokenSecret.isWellFormed(secret) else {
            throw ControlPlaneError.unauthorized("the bearer token is malformed; Drover tokens look like drv_<43 characters>")
        }
        let hash = TokenSecret.hash(secret)
        let now = clock.now()
        let cached = cache.withLock { $0[hash] }
        let record: TokenRecord?
        if let (hit, expiry) = cached, expiry > now {
            record = hit
        } else {
            record = try await store.token(secretHash: hash)
            cacheEntry(record, hash: hash, now: now)
        }
        guard let record, TokenSecret.constantTimeEquals(record.secretHash, hash) else {
            throw ControlPlaneError.unauthorized("unknown token; create one with `drover-controlplane token create`")
        }
        guard record.revokedAt == nil else {
            throw ControlPlaneError.unauthorized("this token was revoked; ask an admin for a new one")
        }
        return record.principal
    }

    /// All tokens (without secrets).
    public func list() async throws -> [TokenRecord] { try await store.tokens() }

    /// Revokes a token and records who did it.
    public func revoke(id: String, by principal: Principal) async throws {
        guard try await store.revokeToken(id: id, at: clock.now()) else {
            throw ControlPlaneError.notFound("no active token with id \"\(id)\"; list tokens to see their ids")
        }
        cache.withLock { $0.removeAll() }
        try await store.appendAudit(AuditEntry(principal: principal, at: clock.now(), action: "token.revoke", target: id))
    }

    /// Issues a new agent credential and revokes the agent's previous ones.
    func issueAgentToken(agentID: String, by principal: Principal) async throws -> IssuedToken {
        _ = try await store.revokeAgentTokens(agentID: agentID, at: clock.now())
        // Only this agent's credentials changed: drop its entries, keep the rest of the fleet's (an enrolment wave
        // would otherwise send every agent's next request to the store).
        // (One scan of the cache per enrolment; collecting the keys first avoids copying the dictionary.)
        cache.withLock { c in
            let stale = c.compactMap { $0.value.0?.agentID == agentID ? $0.key : nil }
            for hash in stale { c[hash] = nil }
        }
        return try await create(role: .agent, name: "agent:\(agentID)", agentID: agentID, by: principal)
    }

    private func cacheEntry(_ record: TokenRecord?, hash: String, now: Date) {
        cache.withLock { c in
            // Agents report every interval, each with its own token: keep room for a large fleet, and drop
            // expired entries before dropping everything.
            if c.count >= 200_000 {
                c = c.filter { $0.value.1 > now }
                if c.count >= 200_000 { c.removeAll(keepingCapacity: true) }
            }
            c[hash] = (record, now.addingTimeInterval(cacheTTL))
        }
    }
}
