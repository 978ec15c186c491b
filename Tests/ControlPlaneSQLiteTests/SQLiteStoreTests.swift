import ControlPlaneCore
import ControlPlaneSQLite
import DroverAPI
import DroverTestKit
import Foundation
import Testing

@Suite("SQLite store")
struct SQLiteStoreTests {
    @Test("the SQLite store passes the shared store conformance check", arguments: StoreConformance.allCases)
    func conformance(_ check: StoreConformance) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try await check.run(try SQLiteControlPlaneStore(dataDirectory: dir.path))
    }

    @Test("migrations are applied in order under NNNN-verb-noun names and re-opening applies nothing twice")
    func migrations() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let names = try await SQLiteControlPlaneStore(dataDirectory: dir.path).appliedMigrations()
        #expect(names == SQLiteSchema.all.map(\.identifier))
        for name in names { #expect(name.wholeMatch(of: /\d{4}-[a-z]+(-[a-z]+)+/) != nil, "\(name)") }
        #expect(try await SQLiteControlPlaneStore(dataDirectory: dir.path).appliedMigrations() == names)
        #expect(FileManager.default.fileExists(atPath: dir.appending(SQLiteControlPlaneStore.fileName).path))
    }

    @Test("a restart keeps tokens, agents, reports, rollups, versions, desired and observed state and the audit log")
    func restartKeepsState() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let t0 = StoreConformance.t0
        let clock = WallClock.fixed(t0.addingTimeInterval(120))
        var adminSecret = ""
        do {
            let store = try SQLiteControlPlaneStore(dataDirectory: dir.path)
            let cp = ControlPlane(store: store, clock: clock)
            adminSecret = try await cp.tokens.create(role: .admin, name: "admin", by: .system).secret
            let admin = try await cp.tokens.authenticate(adminSecret)
            let enroll = try await cp.tokens.authenticate(try await cp.tokens.create(role: .enroll, name: "enroll", by: admin).secret)
            let agentToken = try await cp.agents.enroll(EnrollRequest(agentID: Fixtures.agentID, model: Fixtures.model, labels: ["zone": "eu-1"]), by: enroll)
            let agent = try await cp.tokens.authenticate(agentToken.token)
            _ = try await cp.versions.register(Fixtures.modelVersion(), by: admin)
            _ = try await cp.versions.putProfile(Fixtures.referenceProfile(), model: Fixtures.model, version: Fixtures.version, by: admin)
            _ = try await cp.ingest.ingest([.init(report: Fixtures.report(index: 0))], by: agent)
            _ = try await cp.desired.set(DesiredStateUpdate(model: Fixtures.model, version: Fixtures.version, reason: "pin"), by: admin)
            try await cp.desired.observe(
                ObservedState(agentID: Fixtures.agentID, model: Fixtures.model, version: Fixtures.version, generation: 1, status: .applied, observedAt: t0),
                by: agent)
        }
        let store = try SQLiteControlPlaneStore(dataDirectory: dir.path)
        let cp = ControlPlane(store: store, clock: clock)
        let admin = try await cp.tokens.authenticate(adminSecret)
        #expect(admin.role == .admin)
        #expect(try await store.agent(id: Fixtures.agentID)?.zone == "eu-1")
        #expect(try await store.reports(agentID: Fixtures.agentID, from: t0, to: t0.addingTimeInterval(60), limit: 5).count == 1)
        let health = try await cp.fleet.health(from: t0, to: t0.addingTimeInterval(60))
        #expect(health.groups.first?.reports == 1)
        #expect(try await store.version(model: Fixtures.model, version: Fixtures.version)?.referenceProfileDigest != nil)
        #expect(try await store.desired(agentID: Fixtures.agentID)?.generation == 1)
        #expect(try await store.observed(agentID: Fixtures.agentID)?.status == .applied)
        #expect(try await store.audit(after: 0, limit: 100).count >= 6)
        // Generations keep growing after the restart.
        let again = try await cp.desired.set(DesiredStateUpdate(model: Fixtures.model, version: Fixtures.version, reason: "again"), by: admin)
        #expect(again.first?.generation == 2)
        // A duplicate sent after the restart is still a duplicate.
        let agentRecord = try await cp.tokens.list().first { $0.role == .agent }
        let agent = try #require(agentRecord).principal
        let ack = try await cp.ingest.ingest([.init(report: Fixtures.report(index: 0))], by: agent)
        #expect(ack.duplicates == [Fixtures.report(index: 0).id])
    }

    @Test("agent labels read back equal, escapes and non-ASCII included, and no labels read back empty")
    func agentLabelsRoundTrip() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let store = try SQLiteControlPlaneStore(dataDirectory: dir.path)
        let labels = ["zone": "eu-1", "team": "ranking \"core\"", "path": "a\\b/c", "note": "Zürich\n→ 东京", "": "empty"]
        try await store.upsertAgent(AgentRecord(id: "a1", model: "m", labels: labels, enrolledAt: StoreConformance.t0))
        try await store.upsertAgent(AgentRecord(id: "a2", model: "m", labels: [:], enrolledAt: StoreConformance.t0))
        #expect(try await store.agent(id: "a1")?.labels == labels)
        #expect(try await store.agents(model: "m").map(\.labels) == [labels, [:]])
    }
}
