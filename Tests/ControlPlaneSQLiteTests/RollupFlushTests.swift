import ControlPlaneCore
import ControlPlaneSQLite
import DroverAPI
import DroverTestKit
import Foundation
import GRDB
import Testing

@Suite("SQLite rollups held in memory between flushes")
struct RollupFlushTests {
    static let hour = (from: Fixtures.windowStart, to: Fixtures.windowStart.addingTimeInterval(3600))
    static let now = Fixtures.windowStart.addingTimeInterval(3600)

    /// Reports of two agents in two zones, 10 s windows over five minutes (five 60 s buckets, two zones each).
    static let reports: [(report: Report, zone: String)] = (0..<60).map { i in
        let agent = i % 2
        return (
            Fixtures.report(
                id: Fixtures.reportID(i), index: i / 2, agentID: "node-\(agent)/ranker", windowSeconds: 10,
                seed: UInt64(i)),
            agent == 0 ? "eu-1" : "us-1"
        )
    }

    static func item(_ report: Report, zone: String) throws -> IngestItem {
        IngestItem(
            report: StoredReport(
                id: report.id, agentID: report.agentID, model: report.model, version: report.version, zone: zone,
                windowStart: report.window.start, windowEnd: report.window.end, receivedAt: now,
                json: try DroverJSON.encode(report)),
            key: RollupKey(
                model: report.model, version: report.version, zone: zone,
                bucketStart: IngestConfiguration().bucket(of: report.window.start)),
            rollup: ReportRollup(report: report))
    }

    /// Ingests every fixture report, one batch of 1, 2 or 3 reports at a time.
    static func ingestAll(_ store: SQLiteControlPlaneStore) async throws {
        var index = 0
        while index < reports.count {
            let end = min(reports.count, index + 1 + index % 3)
            _ = try await store.ingest(try reports[index..<end].map { try item($0.report, zone: $0.zone) })
            index = end
        }
    }

    static func rollupRowsInTable(_ store: SQLiteControlPlaneStore) async throws -> Int {
        try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM report_rollups") ?? 0 }
    }

    static func health(_ store: SQLiteControlPlaneStore) async throws -> FleetHealth {
        try await ControlPlane(store: store, clock: .fixed(now)).fleet.health(from: hour.from, to: hour.to)
    }

    @Test("reads see rollups merged since the last flush, and flushRollups writes them to the table")
    func readsSeeUnflushedRollups() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let store = try SQLiteControlPlaneStore(dataDirectory: dir.path, rollupFlush: .manual)
        try await Self.ingestAll(store)
        #expect(try await Self.rollupRowsInTable(store) == 0)
        let before = try await store.rollups(RollupQuery(from: Self.hour.from, to: Self.hour.to))
        #expect(before.count == 10)
        #expect(before.reduce(0) { $0 + $1.rollup.reports } == Self.reports.count)
        #expect(before.map(\.key.bucketStart) == before.map(\.key.bucketStart).sorted())
        let euOnly = try await store.rollups(RollupQuery(zone: "eu-1", from: Self.hour.from, to: Self.hour.to))
        #expect(euOnly.count == 5 && euOnly.allSatisfy { $0.key.zone == "eu-1" })

        try await store.flushRollups()
        #expect(try await Self.rollupRowsInTable(store) == 10)
        #expect(try await store.rollups(RollupQuery(from: Self.hour.from, to: Self.hour.to)) == before)
    }

    @Test("after a crash without a rollup flush, reopening replays the reports: fleet health equals the uncrashed one")
    func crashRecovery() async throws {
        let clean = try TemporaryDirectory()
        let crashed = try TemporaryDirectory()
        defer {
            clean.cleanup()
            crashed.cleanup()
        }
        let reference = try SQLiteControlPlaneStore(dataDirectory: clean.path, rollupFlush: .everyBatch)
        try await Self.ingestAll(reference)
        let expectedRows = try await reference.rollups(RollupQuery(from: Self.hour.from, to: Self.hour.to))
        let expected = try await Self.health(reference)
        #expect(expected.groups.count == 2)

        do {
            // Flushes by count only, at 10 reports: five flushes, then the crash leaves 8 reports above the watermark.
            let store = try SQLiteControlPlaneStore(
                dataDirectory: crashed.path, rollupFlush: RollupFlushPolicy(interval: .seconds(3600), maxPendingReports: 10))
            try await Self.ingestAll(store)
            let inTable = try await Self.rollupRowsInTable(store)
            let replay = try await store.pool.read { db in
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM reports WHERE seq > (SELECT seq FROM rollup_watermark)") ?? 0
            }
            #expect(inTable > 0)
            #expect(replay == 8, "the crash must leave reports that only memory had merged")
        }  // dropped without flushRollups: the "crash"
        let reopened = try SQLiteControlPlaneStore(dataDirectory: crashed.path, rollupFlush: .manual)
        #expect(try await Self.rollupRowsInTable(reopened) == 10)
        #expect(try await reopened.rollups(RollupQuery(from: Self.hour.from, to: Self.hour.to)) == expectedRows)
        #expect(try await Self.health(reopened) == expected)

        // New reports after the replay merge on top, numbered after the replayed ones.
        let late = Fixtures.report(
            id: Fixtures.reportID(1_000), index: 0, agentID: "node-0/ranker", windowSeconds: 10, seed: 99)
        #expect(try await reopened.ingest([try Self.item(late, zone: "eu-1")]).count == 1)
        #expect(try await reference.ingest([try Self.item(late, zone: "eu-1")]).count == 1)
        #expect(try await Self.health(reopened) == Self.health(reference))
    }

    @Test("rows written before report sequences (NULL seq) are not replayed: their rollups are already in the table")
    func legacyRowsAreNotReplayed() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let report = Self.reports[0].report
        let item = try Self.item(report, zone: "eu-1")
        do {
            let store = try SQLiteControlPlaneStore(dataDirectory: dir.path)
            // What the previous write path left: the report row without seq, its rollup row, no watermark.
            try await store.pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO reports (id, agent_id, model, version, zone, window_start, window_end, received_at, body)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        report.id, report.agentID, report.model, report.version, "eu-1",
                        report.window.start.timeIntervalSince1970, report.window.end.timeIntervalSince1970,
                        Self.now.timeIntervalSince1970, Data(item.report.json),
                    ])
                try db.execute(
                    sql: """
                        INSERT INTO report_rollups (model, version, zone, bucket_start, rollup_json)
                        VALUES (?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        report.model, report.version, "eu-1", item.key.bucketStart.timeIntervalSince1970,
                        try JSONEncoder().encode(item.rollup),
                    ])
                try db.execute(sql: "DELETE FROM rollup_watermark")
            }
        }
        let reopened = try SQLiteControlPlaneStore(dataDirectory: dir.path)
        let rows = try await reopened.rollups(RollupQuery(from: Self.hour.from, to: Self.hour.to))
        #expect(rows.map(\.rollup) == [item.rollup])
        // The old row is still a duplicate, and a new report merges into the old rollup.
        #expect(try await reopened.ingest([item]).isEmpty)
        let next = try Self.item(Self.reports[2].report, zone: "eu-1")
        #expect(try await reopened.ingest([next]).count == 1)
        #expect(
            try await reopened.rollups(RollupQuery(from: Self.hour.from, to: Self.hour.to)).map(\.rollup)
                == [item.rollup.merging(next.rollup)])
    }

    @Test("a batch whose transaction fails leaves no trace in the rollups; later batches merge as before")
    func failedBatchIsForgotten() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let store = try SQLiteControlPlaneStore(dataDirectory: dir.path, rollupFlush: .everyBatch)
        // The flush of a batch holding a report of model "boom" fails after the batch was merged in memory.
        try await store.pool.write { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER boom BEFORE INSERT ON report_rollups WHEN NEW.model = 'boom'
                    BEGIN SELECT RAISE(ABORT, 'boom'); END
                    """)
        }
        let first = try Self.item(Self.reports[0].report, zone: "eu-1")
        let second = try Self.item(Self.reports[2].report, zone: "eu-1")
        let boom = try Self.item(
            Fixtures.report(id: Fixtures.reportID(500), index: 1, model: "boom", windowSeconds: 10), zone: "eu-1")
        #expect(try await store.ingest([first]).count == 1)
        await #expect(throws: (any Error).self) { try await store.ingest([second, boom]) }
        let afterFailure = try await store.rollups(RollupQuery(from: Self.hour.from, to: Self.hour.to))
        #expect(afterFailure.map(\.rollup) == [first.rollup])
        #expect(try await store.ingest([second]).count == 1)
        let rows = try await store.rollups(RollupQuery(from: Self.hour.from, to: Self.hour.to))
        #expect(rows.map(\.rollup) == [first.rollup.merging(second.rollup)])
    }
}
