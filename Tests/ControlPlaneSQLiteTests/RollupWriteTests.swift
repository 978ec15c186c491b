import ControlPlaneCore
import ControlPlaneSQLite
import DroverAPI
import DroverTestKit
import Foundation
import Testing

@Suite("SQLite rollup writes through the rollup cache")
struct RollupWriteTests {
    static let hour = (from: Fixtures.windowStart, to: Fixtures.windowStart.addingTimeInterval(3600))

    /// Enrols the fixture agent on a control plane over `store` and returns its principal.
    private func agent(_ cp: ControlPlane) async throws -> Principal {
        let enroll = try await cp.tokens.authenticate(
            try await cp.tokens.create(role: .enroll, name: "e", by: .system).secret)
        let r = try await cp.agents.enroll(
            EnrollRequest(agentID: Fixtures.agentID, model: Fixtures.model, labels: ["zone": "eu-1"]),
            by: enroll)
        return try await cp.tokens.authenticate(r.token)
    }

    @Test(
        "rollups merged batch by batch through the cache equal the merge of the reports, also after a restart"
    )
    func cacheMatchesTable() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let clock = WallClock.fixed(Fixtures.windowStart.addingTimeInterval(3600))
        // Five reports in the same 60 s bucket (10 s windows), ingested one call at a time: five batches.
        let reports = (0..<6).map { Fixtures.report(index: $0, windowSeconds: 10, seed: UInt64($0)) }
        var expected = ReportRollup()
        for report in reports { expected.merge(ReportRollup(report: report)) }
        do {
            let store = try SQLiteControlPlaneStore(dataDirectory: dir.path)
            let cp = ControlPlane(store: store, clock: clock)
            let principal = try await agent(cp)
            for report in reports.prefix(5) {
                _ = try await cp.ingest.ingest([.init(report: report)], by: principal)
            }
        }
        // A new store starts with an empty cache: the sixth report merges into what the table holds.
        let store = try SQLiteControlPlaneStore(dataDirectory: dir.path)
        let cp = ControlPlane(store: store, clock: clock)
        let principal = try await cp.tokens.authenticate(
            try await cp.agents.enroll(
                EnrollRequest(agentID: Fixtures.agentID, model: Fixtures.model, labels: ["zone": "eu-1"]),
                by: try await cp.tokens.authenticate(
                    try await cp.tokens.create(role: .enroll, name: "e2", by: .system).secret)
            ).token)
        _ = try await cp.ingest.ingest([.init(report: reports[5])], by: principal)
        let rows = try await store.rollups(RollupQuery(from: Self.hour.from, to: Self.hour.to))
        #expect(rows.count == 1)
        #expect(rows.first?.rollup == expected)
    }

    @Test(
        "pruning rollups empties the cache: a later report in a pruned bucket starts a fresh rollup")
    func pruneClearsCache() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let store = try SQLiteControlPlaneStore(dataDirectory: dir.path)
        let cp = ControlPlane(
            store: store, clock: .fixed(Fixtures.windowStart.addingTimeInterval(3600)))
        let principal = try await agent(cp)
        let first = Fixtures.report(index: 0, windowSeconds: 10)
        let second = Fixtures.report(index: 1, windowSeconds: 10)
        _ = try await cp.ingest.ingest([.init(report: first)], by: principal)
        #expect(try await store.pruneRollups(before: Self.hour.to) == 1)
        _ = try await cp.ingest.ingest([.init(report: second)], by: principal)
        let rows = try await store.rollups(RollupQuery(from: Self.hour.from, to: Self.hour.to))
        #expect(rows.map(\.rollup) == [ReportRollup(report: second)])
    }
}
