import ControlPlaneCore
import DroverAPI
import DroverTestKit
import Foundation
import Testing

@Suite("Desired state")
struct DesiredStateTests {
    @Test("generations grow per agent and the selector picks agents by labels")
    func generations() async throws {
        let h = try await Harness()
        _ = try await h.controlPlane.versions.register(Fixtures.modelVersion(version: "7"), by: h.operatorP)
        _ = try await h.controlPlane.versions.register(Fixtures.modelVersion(version: "8"), by: h.operatorP)
        _ = try await h.agent("a", zone: "eu-1")
        _ = try await h.agent("b", zone: "us-1")
        let all = try await h.controlPlane.desired.set(DesiredStateUpdate(model: Fixtures.model, version: "7", reason: "baseline"), by: h.operatorP)
        #expect(all.map(\.agentID) == ["a", "b"] && all.map(\.generation) == [1, 1])
        let eu = try await h.controlPlane.desired.set(
            DesiredStateUpdate(selector: ["zone": "eu-1"], model: Fixtures.model, version: "8", reason: "canary"), by: h.operatorP)
        #expect(eu.map(\.agentID) == ["a"] && eu.map(\.generation) == [2])
        #expect(try await h.store.desired(agentID: "b")?.generation == 1)
        let none = await controlPlaneError {
            _ = try await h.controlPlane.desired.set(DesiredStateUpdate(selector: ["zone": "mars"], model: Fixtures.model, version: "8", reason: "x"), by: h.operatorP)
        }
        #expect(none?.field == "selector")
        #expect(await controlPlaneError { _ = try await h.controlPlane.desired.set(DesiredStateUpdate(model: Fixtures.model, version: "9", reason: "x"), by: h.operatorP) }?.field == "version")
        #expect(await controlPlaneError { _ = try await h.controlPlane.desired.set(DesiredStateUpdate(model: Fixtures.model, version: "8", reason: "x"), by: h.viewer) }?.kind == .forbidden)
        let audit = try await h.store.audit(after: 0, limit: 100).filter { $0.action == "desired.set" }
        #expect(audit.count == 2 && audit[0].detail["selector"] == "zone=eu-1")
    }

    @Test("a long-poll returns at once when a newer generation exists")
    func immediate() async throws {
        let h = try await Harness()
        _ = try await h.controlPlane.versions.register(Fixtures.modelVersion(), by: h.operatorP)
        let agent = try await h.agent()
        _ = try await h.controlPlane.desired.set(DesiredStateUpdate(model: Fixtures.model, version: Fixtures.version, reason: "r"), by: h.operatorP)
        let clock = ManualClock()
        let got = try await h.controlPlane.desired.wait(agentID: Fixtures.agentID, after: 0, wait: .seconds(30), clock: clock, by: agent)
        #expect(got?.generation == 1)
    }

    @Test("a waiting long-poll is woken at once by a change, and times out on the clock otherwise")
    func wakeAndTimeout() async throws {
        let h = try await Harness()
        _ = try await h.controlPlane.versions.register(Fixtures.modelVersion(), by: h.operatorP)
        let agent = try await h.agent()
        let clock = ManualClock()
        let desired = h.controlPlane.desired
        async let waited = desired.wait(agentID: Fixtures.agentID, after: 0, wait: .seconds(30), clock: clock, by: agent)
        try await clock.waitForSleepers(1)
        #expect(desired.notifier.waiterCount == 1)
        _ = try await desired.set(DesiredStateUpdate(model: Fixtures.model, version: Fixtures.version, reason: "go"), by: h.operatorP)
        let record = try await waited
        #expect(record?.generation == 1)
        #expect(desired.notifier.waiterCount == 0)

        async let timedOut = desired.wait(agentID: Fixtures.agentID, after: 1, wait: .seconds(30), clock: clock, by: agent)
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(30))
        #expect(try await timedOut == nil)
    }

    @Test("an agent may not long-poll another agent's desired state")
    func ownOnly() async throws {
        let h = try await Harness()
        let a = try await h.agent("a")
        #expect(await controlPlaneError { _ = try await h.controlPlane.desired.wait(agentID: "b", after: 0, wait: .zero, clock: ContinuousClock(), by: a) }?.kind == .forbidden)
        #expect(try await h.controlPlane.desired.wait(agentID: "a", after: 0, wait: .zero, clock: ContinuousClock(), by: h.viewer) == nil)
    }

    @Test("observed state is stored beside desired state")
    func observed() async throws {
        let h = try await Harness()
        let agent = try await h.agent()
        try await h.controlPlane.desired.observe(
            ObservedState(agentID: Fixtures.agentID, model: Fixtures.model, version: "6", generation: 3, status: .failedOver, error: "probe failures", observedAt: Harness.now),
            by: agent)
        let view = try await h.controlPlane.agents.show(Fixtures.agentID)
        #expect(view.observed?.status == .failedOver)
        #expect(view.agent.version == "6")
    }
}
