import ControlPlaneCore
import ControlPlaneHTTP
import DroverAPI
import DroverTestKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// One endpoint and the roles allowed to call it.
struct Endpoint: Sendable, CustomTestStringConvertible {
    var method: HTTPRequest.Method
    var path: String
    var allowed: Set<String>
    var testDescription: String { "\(method) \(path)" }
}

@Suite("HTTP authentication and roles")
struct AuthRoutesTests {
    static let agentPath = APIPath.escape(Fixtures.agentID)
    static let endpoints: [Endpoint] = [
        Endpoint(method: .get, path: "/v1/agents", allowed: ["admin", "operator", "viewer"]),
        Endpoint(method: .get, path: "/v1/agents/\(agentPath)", allowed: ["admin", "operator", "viewer", "agent"]),
        Endpoint(method: .post, path: APIPath.enroll, allowed: ["admin", "enroll"]),
        Endpoint(method: .post, path: APIPath.reports, allowed: []),
        Endpoint(method: .post, path: APIPath.reportsBatch, allowed: []),
        Endpoint(method: .get, path: APIPath.fleetHealth, allowed: ["admin", "operator", "viewer"]),
        Endpoint(method: .get, path: APIPath.versions, allowed: ["admin", "operator", "viewer"]),
        Endpoint(method: .post, path: APIPath.versions, allowed: ["admin", "operator"]),
        Endpoint(method: .put, path: APIPath.desired, allowed: ["admin", "operator"]),
        Endpoint(method: .get, path: APIPath.tokens, allowed: ["admin"]),
        Endpoint(method: .post, path: APIPath.tokens, allowed: ["admin"]),
        Endpoint(method: .get, path: APIPath.audit, allowed: ["admin", "operator"]),
        Endpoint(method: .put, path: "/v1/models/ranker/versions/7/profile", allowed: ["admin", "operator"]),
        Endpoint(method: .post, path: "/v1/models/ranker/versions/7/retire", allowed: ["admin", "operator"]),
    ]

    @Test("every protected endpoint answers 401 with a JSON error without a token", arguments: endpoints)
    func noToken(_ endpoint: Endpoint) async throws {
        let h = try await HTTPHarness()
        try await h.app().test(.router) { client in
            try await client.execute(uri: endpoint.path, method: endpoint.method, headers: auth(nil), body: ByteBuffer(string: "{}")) { response throws in
                #expect(response.status == .unauthorized)
                #expect(try apiError(response).code == "unauthorized")
                #expect(response.headers[.wwwAuthenticate] != nil)
            }
        }
    }

    @Test("an unknown or malformed bearer token is refused with 401")
    func badToken() async throws {
        let h = try await HTTPHarness()
        try await h.app().test(.router) { client in
            for token in [TokenSecret.generate(), "drv_short", "garbage"] {
                try await client.execute(uri: APIPath.agents, method: .get, headers: auth(token)) { response throws in
                    #expect(response.status == .unauthorized)
                }
            }
            var headers = auth(nil)
            headers[.authorization] = "Basic YWRtaW46YWRtaW4="
            try await client.execute(uri: APIPath.agents, method: .get, headers: headers) { #expect($0.status == .unauthorized) }
        }
    }

    @Test("each role gets 403 where it has no permission", arguments: endpoints)
    func forbidden(_ endpoint: Endpoint) async throws {
        let h = try await HTTPHarness()
        let agentToken = try await h.enrollAgent()
        let tokens = h.tokens.map { ($0.key.rawValue, $0.value) } + [("agent", agentToken)]
        try await h.app().test(.router) { client in
            for (role, token) in tokens where !endpoint.allowed.contains(role) {
                // Agents are allowed to post reports (their own); they are checked elsewhere.
                if role == "agent" && (endpoint.path == APIPath.reports || endpoint.path == APIPath.reportsBatch) { continue }
                try await client.execute(uri: endpoint.path, method: endpoint.method, headers: auth(token), body: ByteBuffer(string: "{}")) { response throws in
                    #expect(response.status == .forbidden, "\(role) \(endpoint.testDescription) → \(response.status)")
                    #expect(try apiError(response).code == "forbidden")
                }
            }
        }
    }

    @Test("an agent may write only its own reports and observed state and read only its own desired state")
    func agentSelf() async throws {
        let h = try await HTTPHarness()
        let a = try await h.enrollAgent("node-a/ranker-0")
        _ = try await h.enrollAgent("node-b/ranker-0")
        try await h.app().test(.router) { client in
            try await client.execute(uri: APIPath.reports, method: .post, headers: auth(a), body: try body(Fixtures.report(agentID: "node-b/ranker-0"))) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: APIPath.desiredState(agent: "node-b/ranker-0"), method: .get, headers: auth(a)) {
                #expect($0.status == .forbidden)
            }
            let observed = ObservedState(agentID: "node-b/ranker-0", model: Fixtures.model, version: "7", generation: 1, status: .applied, observedAt: Date())
            try await client.execute(uri: APIPath.observedState(agent: "node-b/ranker-0"), method: .put, headers: auth(a), body: try body(observed)) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: APIPath.heartbeat(agent: "node-b/ranker-0"), method: .post, headers: auth(a), body: try body(Heartbeat(agentID: "node-b/ranker-0"))) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: APIPath.heartbeat(agent: "node-a/ranker-0"), method: .post, headers: auth(a), body: try body(Heartbeat(agentID: "node-a/ranker-0", version: "7"))) {
                #expect($0.status == .noContent)
            }
        }
    }

    @Test("admins create tokens shown once, list them without secrets and revoke them")
    func tokens() async throws {
        let h = try await HTTPHarness()
        try await h.app().test(.router) { client in
            let created = try await client.execute(uri: APIPath.tokens, method: .post, headers: auth(h.tokens[.admin]), body: try body(TokenCreateRequest(name: "ci", role: "viewer"))) { response throws in
                #expect(response.status == .created)
                return try decode(TokenCreateResponse.self, response)
            }
            #expect(created.token.hasPrefix("drv_") && created.role == "viewer")
            try await client.execute(uri: APIPath.agents, method: .get, headers: auth(created.token)) { #expect($0.status == .ok) }
            try await client.execute(uri: APIPath.tokens, method: .get, headers: auth(h.tokens[.admin])) { response throws in
                let text = String(buffer: response.body)
                #expect(text.contains(created.id) && !text.contains(created.token))
            }
            try await client.execute(uri: APIPath.tokens, method: .post, headers: auth(h.tokens[.admin]), body: try body(TokenCreateRequest(name: "x", role: "agent"))) { response throws in
                #expect(response.status == .badRequest)
                #expect(try apiError(response).field == "role")
            }
            try await client.execute(uri: "\(APIPath.tokens)/\(created.id)", method: .delete, headers: auth(h.tokens[.admin])) { #expect($0.status == .noContent) }
            try await client.execute(uri: APIPath.agents, method: .get, headers: auth(created.token)) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: APIPath.audit, method: .get, headers: auth(h.tokens[.operator])) { response throws in
                let entries = String(buffer: response.body)
                #expect(entries.contains("token.revoke") && entries.contains("token.create"))
            }
        }
    }

    @Test("health, readiness, metrics and the OpenAPI document need no token")
    func openEndpoints() async throws {
        let h = try await HTTPHarness()
        try await h.app().test(.router) { client in
            for path in ["/healthz", "/readyz", "/metrics", APIPath.openAPI] {
                try await client.execute(uri: path, method: .get) { #expect($0.status == .ok, "\(path)") }
            }
            try await client.execute(uri: "/v1/nope", method: .get, headers: auth(h.tokens[.admin])) { response throws in
                #expect(response.status == .notFound)
                #expect(try apiError(response).code == "not_found")
            }
        }
    }
}
