import ControlPlaneCore
import DroverAPI
import DroverTestKit
import Foundation
import Testing

@Suite("Agent liveness")
struct LivenessTests {
    @Test("silence turns an agent stale, then lost", arguments: [(10.0, AgentInfo.State.active), (181, .stale), (599, .stale), (601, .lost)])
    func thresholds(_ silence: Double, _ expected: AgentInfo.State) {
        let policy = LivenessPolicy(staleAfter: 180, lostAfter: 600)
        let t0 = Fixtures.windowStart
        #expect(policy.state(lastSeen: t0, enrolledAt: t0, now: t0.addingTimeInterval(silence)) == expected)
    }

    @Test("listing evaluates liveness now and filters by state")
    func listing() async throws {
        let h = try await Harness()
        _ = try await h.agent("a")
        let later = ControlPlane(store: h.store, clock: .fixed(Harness.now.addingTimeInterval(300)))
        #expect(try await later.agents.list().map(\.state) == [.stale])
        #expect(try await later.agents.list(state: .active).isEmpty)
    }
}
