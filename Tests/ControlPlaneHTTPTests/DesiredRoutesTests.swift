import ControlPlaneCore
import ControlPlaneHTTP
import DroverAPI
import DroverTestKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("HTTP desired state")
struct DesiredRoutesTests {
    @Test("a long-poll over a real socket is woken at once when an operator sets the desired version")
    func longPollWakeUp() async throws {
        let h = try await HTTPHarness()
        let agent = try await h.enrollAgent()
        let op = h.tokens[.operator]
        _ = try await h.controlPlane.versions.register(Fixtures.modelVersion(), by: try await h.controlPlane.tokens.authenticate(op!))
        try await h.app().test(.live) { client in
            try await client.execute(uri: APIPath.desiredState(agent: Fixtures.agentID) + "?after=0&wait=0", method: .get, headers: auth(agent)) {
                #expect($0.status == .noContent)
            }
            let started = ContinuousClock.now
            async let polled = client.execute(uri: APIPath.desiredState(agent: Fixtures.agentID) + "?after=0&wait=30", method: .get, headers: auth(agent)) { response throws in
                (response.status, try? decode(DesiredState.self, response))
            }
            try await Eventually.wait(timeout: .seconds(5)) { h.controlPlane.desired.notifier.waiterCount == 1 }
            // The test client holds one connection, busy with the long-poll: set the state through the core.
            let update = DesiredStateUpdate(selector: ["zone": "eu-1"], model: Fixtures.model, version: Fixtures.version, reason: "roll out")
            _ = try await h.controlPlane.desired.set(update, by: try await h.controlPlane.tokens.authenticate(op!))
            let (status, state) = try await polled
            #expect(status == .ok)
            #expect(state?.generation == 1 && state?.version == Fixtures.version && state?.reason == "roll out")
            #expect(ContinuousClock.now - started < .seconds(5))
            let observed = ObservedState(agentID: Fixtures.agentID, model: Fixtures.model, version: Fixtures.version, generation: 1, status: .applied, observedAt: Date())
            try await client.execute(uri: APIPath.observedState(agent: Fixtures.agentID), method: .put, headers: auth(agent), body: try body(observed)) {
                #expect($0.status == .noContent)
            }
            try await client.execute(uri: "/v1/agents/\(APIPath.escape(Fixtures.agentID))", method: .get, headers: auth(h.tokens[.viewer])) { response throws in
                let text = String(buffer: response.body)
                #expect(text.contains("\"observed\"") && text.contains("\"generation\":1"))
            }
        }
    }

    @Test("a long-poll with nothing newer ends with 204 after its wait")
    func longPollTimeout() async throws {
        let h = try await HTTPHarness()
        let agent = try await h.enrollAgent()
        try await h.app().test(.live) { client in
            let started = ContinuousClock.now
            try await client.execute(uri: APIPath.desiredState(agent: Fixtures.agentID) + "?after=0&wait=1", method: .get, headers: auth(agent)) {
                #expect($0.status == .noContent)
            }
            #expect(ContinuousClock.now - started >= .milliseconds(900))
            try await client.execute(uri: APIPath.desiredState(agent: Fixtures.agentID) + "?after=-1", method: .get, headers: auth(agent)) { response throws in
                #expect(try apiError(response).field == "after")
            }
        }
    }

    @Test("an operator sets desired state by selector; an unknown version is refused with the field named")
    func refusals() async throws {
        let h = try await HTTPHarness()
        _ = try await h.enrollAgent()
        try await h.app().test(.router) { client in
            try await client.execute(uri: APIPath.versions, method: .post, headers: auth(h.tokens[.operator]), body: try body(Fixtures.modelVersion())) { #expect($0.status == .created) }
            let update = DesiredStateUpdate(selector: ["zone": "eu-1"], model: Fixtures.model, version: Fixtures.version, reason: "roll out")
            try await client.execute(uri: APIPath.desired, method: .put, headers: auth(h.tokens[.operator]), body: try body(update)) { response throws in
                #expect(response.status == .ok)
                struct List: Decodable { var desired: [DesiredState] }
                #expect(try decode(List.self, response).desired.map(\.generation) == [1])
            }
            let unknown = DesiredStateUpdate(model: Fixtures.model, version: "404", reason: "x")
            try await client.execute(uri: APIPath.desired, method: .put, headers: auth(h.tokens[.operator]), body: try body(unknown)) { response throws in
                #expect(response.status == .unprocessableContent)
                #expect(try apiError(response).field == "version")
            }
        }
    }
}
