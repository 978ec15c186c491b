import ControlPlaneCore
import DroverAPI
import DroverTestKit
import Foundation
import Testing

@Suite("Tokens and roles")
struct AuthTests {
    @Test("a token is drv_ plus 43 base64url characters and is stored only as its SHA-256 hex")
    func tokenFormat() async throws {
        let store = InMemoryControlPlaneStore()
        let issued = try await TokenService(store: store).create(role: .viewer, name: "v", by: .system)
        #expect(TokenSecret.isWellFormed(issued.secret))
        #expect(issued.secret.count == 47)
        let stored = try await store.tokens()
        #expect(stored.count == 1)
        #expect(stored[0].secretHash == TokenSecret.hash(issued.secret))
        #expect(stored[0].secretHash.count == 64)
        #expect(!stored[0].secretHash.contains(issued.secret))
        #expect(TokenSecret.generate() != TokenSecret.generate())
    }

    @Test("constant-time comparison agrees with equality")
    func constantTime() {
        #expect(TokenSecret.constantTimeEquals("abc", "abc"))
        #expect(!TokenSecret.constantTimeEquals("abc", "abd"))
        #expect(!TokenSecret.constantTimeEquals("abc", "abcd"))
    }

    @Test("base64url encodes without padding", arguments: [([UInt8](), ""), ([0xFB], "-w"), ([0xFB, 0xFF], "-_8"), ([1, 2, 3], "AQID")])
    func base64URL(_ input: [UInt8], _ expected: String) {
        #expect(TokenSecret.base64URL(input) == expected)
    }

    @Test("authentication accepts a created token and refuses unknown, malformed and revoked ones")
    func authenticate() async throws {
        let store = InMemoryControlPlaneStore()
        let tokens = TokenService(store: store)
        let issued = try await tokens.create(role: .operator, name: "op", by: .system)
        let principal = try await tokens.authenticate(issued.secret)
        #expect(principal.role == .operator)
        #expect(principal.name == "op")
        #expect(await controlPlaneError { _ = try await tokens.authenticate(TokenSecret.generate()) }?.kind == .unauthorized)
        #expect(await controlPlaneError { _ = try await tokens.authenticate("hello") }?.kind == .unauthorized)
        try await tokens.revoke(id: issued.record.id, by: .system)
        #expect(await controlPlaneError { _ = try await tokens.authenticate(issued.secret) }?.kind == .unauthorized)
        #expect(await controlPlaneError { try await tokens.revoke(id: issued.record.id, by: .system) }?.kind == .notFound)
        let audit = try await store.audit(after: 0, limit: 10).map(\.action)
        #expect(audit == ["token.revoke", "token.create"])
    }

    @Test("the permission table gives each role what it needs and nothing more")
    func permissionTable() {
        #expect(Role.admin.allows(.tokensManage))
        #expect(!Role.operator.allows(.tokensManage))
        #expect(Role.operator.allows(.versionsWrite) && Role.operator.allows(.desiredWrite))
        #expect(Role.viewer.allows(.read) && !Role.viewer.allows(.versionsWrite) && !Role.viewer.allows(.desiredWrite))
        #expect(Role.enroll.permissions == [.agentsEnroll])
        #expect(Role.agent.allows(.agentSelf) && !Role.agent.allows(.read))
    }

    @Test("an agent may act only for itself; other roles need the named permission")
    func agentSelf() {
        let agent = Principal(tokenID: "t", name: "agent:a", role: .agent, agentID: "a")
        #expect(throws: Never.self) { try agent.requireAgent("a") }
        #expect(throws: ControlPlaneError.self) { try agent.requireAgent("b") }
        let viewer = Principal(tokenID: "t", name: "v", role: .viewer)
        #expect(throws: ControlPlaneError.self) { try viewer.requireAgent("a") }
        #expect(throws: Never.self) { try viewer.requireAgent("a", orPermission: .read) }
    }

    @Test("re-enrolling an agent revokes its previous credential")
    func reenroll() async throws {
        let h = try await Harness()
        let first = try await h.controlPlane.agents.enroll(.init(agentID: "a", model: "m"), by: h.enroll)
        let second = try await h.controlPlane.agents.enroll(.init(agentID: "a", model: "m"), by: h.enroll)
        #expect(await controlPlaneError { _ = try await h.controlPlane.tokens.authenticate(first.token) }?.kind == .unauthorized)
        #expect(try await h.controlPlane.tokens.authenticate(second.token).agentID == "a")
        #expect(await controlPlaneError { _ = try await h.controlPlane.agents.enroll(.init(agentID: "b", model: "m"), by: h.viewer) }?.kind == .forbidden)
    }
}
