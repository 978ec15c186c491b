import DroverTestKit
import Foundation
import Synchronization
import Testing

@testable import ControlPlaneCore

/// A token store that counts lookups by hash, so tests can see which authentications reached the store.
private final class CountingTokenStore: TokenStore, AuditStore {
    let inner = InMemoryControlPlaneStore()
    let lookups = Atomic<Int>(0)

    func insertToken(_ token: TokenRecord) async throws { try await inner.insertToken(token) }
    func token(secretHash: String) async throws -> TokenRecord? {
        lookups.add(1, ordering: .relaxed)
        return try await inner.token(secretHash: secretHash)
    }
    func tokens() async throws -> [TokenRecord] { try await inner.tokens() }
    func revokeToken(id: String, at: Date) async throws -> Bool { try await inner.revokeToken(id: id, at: at) }
    func revokeAgentTokens(agentID: String, at: Date) async throws -> Int {
        try await inner.revokeAgentTokens(agentID: agentID, at: at)
    }
    func appendAudit(_ entry: AuditEntry) async throws { try await inner.appendAudit(entry) }
    func audit(after: Int64, limit: Int) async throws -> [AuditEntry] {
        try await inner.audit(after: after, limit: limit)
    }
}

@Suite("Token cache")
struct TokenCacheTests {
    @Test("a token created by the service authenticates without reading the store")
    func createdTokenIsCached() async throws {
        let store = CountingTokenStore()
        let tokens = TokenService(store: store)
        let issued = try await tokens.create(role: .viewer, name: "v", by: .system)
        #expect(try await tokens.authenticate(issued.secret).role == .viewer)
        #expect(store.lookups.load(ordering: .relaxed) == 0)
    }

    @Test("re-enrolling one agent refuses its old credential and keeps the other agents' cached")
    func reenrolmentDropsOnlyThatAgent() async throws {
        let store = CountingTokenStore()
        let tokens = TokenService(store: store)
        let enroller = Principal(tokenID: "t", name: "enroll", role: .enroll)
        let a1 = try await tokens.issueAgentToken(agentID: "a", by: enroller)
        let b = try await tokens.issueAgentToken(agentID: "b", by: enroller)
        #expect(try await tokens.authenticate(a1.secret).agentID == "a")
        let a2 = try await tokens.issueAgentToken(agentID: "a", by: enroller)
        #expect(try await tokens.authenticate(b.secret).agentID == "b")
        #expect(try await tokens.authenticate(a2.secret).agentID == "a")
        #expect(store.lookups.load(ordering: .relaxed) == 0)
        #expect(await controlPlaneError { _ = try await tokens.authenticate(a1.secret) }?.kind == .unauthorized)
        #expect(store.lookups.load(ordering: .relaxed) == 1)
    }
}
