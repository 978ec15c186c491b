import ControlPlaneCore
import DroverAPI
import DroverTestKit
import Foundation

/// A control plane over an in-memory store with a fixed clock, plus principals of every role.
struct Harness {
    static let now = Fixtures.windowStart.addingTimeInterval(120)
    let store = InMemoryControlPlaneStore()
    let controlPlane: ControlPlane
    let admin: Principal
    let viewer: Principal
    let operatorP: Principal
    let enroll: Principal

    init(scorer: (any FleetDriftScorer)? = DroverStatsDriftScorer(), clock: WallClock = .fixed(Harness.now)) async throws {
        controlPlane = ControlPlane(store: store, clock: clock, driftScorer: scorer)
        let tokens = controlPlane.tokens
        admin = try await tokens.authenticate(try await tokens.create(role: .admin, name: "admin", by: .system).secret)
        viewer = try await tokens.authenticate(try await tokens.create(role: .viewer, name: "viewer", by: admin).secret)
        operatorP = try await tokens.authenticate(try await tokens.create(role: .operator, name: "op", by: admin).secret)
        enroll = try await tokens.authenticate(try await tokens.create(role: .enroll, name: "enroll", by: admin).secret)
    }

    /// Enrols an agent and returns its principal.
    func agent(_ id: String = Fixtures.agentID, zone: String = "eu-1", labels: [String: String] = [:]) async throws -> Principal {
        var all = labels
        all["zone"] = zone
        let response = try await controlPlane.agents.enroll(EnrollRequest(agentID: id, model: Fixtures.model, labels: all), by: enroll)
        return try await controlPlane.tokens.authenticate(response.token)
    }
}

/// Runs `body` and returns the `ControlPlaneError` it threw (nil if none).
func controlPlaneError(_ body: () async throws -> Void) async -> ControlPlaneError? {
    do {
        try await body()
        return nil
    } catch let error as ControlPlaneError {
        return error
    } catch {
        return nil
    }
}
