import ControlPlaneCore
import GRDB
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension SQLiteControlPlaneStore {
    /// Stores new reports (INSERT OR IGNORE on the id), merges their rollups and records agent sightings,
    /// coalescing concurrent callers into one transaction.
    public func ingest(_ items: [IngestItem]) async throws -> Set<String> {
        guard !items.isEmpty else { return [] }
        let flags = try await coalescer.submit(items)
        var stored = Set<String>()
        for (item, new) in zip(items, flags) where new { stored.insert(item.report.id) }
        return stored
    }

    /// Writes a batch in one transaction; one "stored now" flag per item. New reports are merged in place into
    /// the rollups in `buffer`, which the same transaction writes back when the flush policy says so.
    static func writeBatch(_ pool: DatabasePool, _ items: [IngestItem], buffer: RollupBuffer) async throws -> [Bool] {
        do {
            return try await pool.write { db in try writeBatchTransaction(db, items, buffer: buffer) }
        } catch {
            // The rolled-back batch may have been merged in memory: rebuild from what the database holds.
            buffer.invalidate()
            try? await pool.write { db in try rebuildRollups(db, buffer: buffer) }
            throw error
        }
    }

    private static func writeBatchTransaction(_ db: Database, _ items: [IngestItem], buffer: RollupBuffer) throws -> [Bool] {
        if buffer.needsRebuild { try rebuildRollups(db, buffer: buffer) }
        let insert = try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO reports
                    (id, agent_id, model, version, zone, window_start, window_end, received_at, body, seq, bucket_start)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        var flags: [Bool] = []
        flags.reserveCapacity(items.count)
        var newItems: [IngestItem] = []
        newItems.reserveCapacity(items.count)
        var seq = buffer.nextSeq
        var sightings: [String: AgentSighting] = [:]
        for item in items {
            let r = item.report
            try insert.execute(arguments: [
                r.id, r.agentID, r.model, r.version, r.zone, SQLCodec.seconds(r.windowStart), SQLCodec.seconds(r.windowEnd),
                SQLCodec.seconds(r.receivedAt), Data(r.json), seq, SQLCodec.seconds(item.key.bucketStart),
            ])
            let new = db.changesCount > 0
            flags.append(new)
            guard new else { continue }
            seq += 1
            newItems.append(item)
            if let s = sightings[r.agentID], s.at > r.receivedAt { continue }
            sightings[r.agentID] = AgentSighting(agentID: r.agentID, at: r.receivedAt, version: r.version)
        }
        for sighting in sightings.values { try applySighting(db, sighting, labelsJSON: nil) }
        if !newItems.isEmpty {
            let loaded = try loadRollups(db, buffer.missingKeys(newItems.lazy.map(\.key)))
            buffer.merge(loaded: loaded, items: newItems, lastSeq: seq - 1)
        }
        if let flush = buffer.flush(force: false) { try writeFlush(db, flush, buffer: buffer) }
        return flags
    }

    /// An agent's reports.
    public func reports(agentID: String, from: Date, to: Date, limit: Int) async throws -> [StoredReport] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM reports WHERE agent_id = ? AND window_start >= ? AND window_start < ?
                    ORDER BY window_start DESC, id DESC LIMIT ?
                    """,
                arguments: [agentID, SQLCodec.seconds(from), SQLCodec.seconds(to), limit]
            ).map { row in
                StoredReport(
                    id: row["id"], agentID: row["agent_id"], model: row["model"], version: row["version"], zone: row["zone"],
                    windowStart: SQLCodec.date(row["window_start"] as Double), windowEnd: SQLCodec.date(row["window_end"] as Double),
                    receivedAt: SQLCodec.date(row["received_at"] as Double), json: Array(row["body"] as Data))
            }
        }
    }

    /// Rollups matching a query: table rows, replaced by (or completed with) the newer rollups held in memory.
    public func rollups(_ query: RollupQuery) async throws -> [RollupRow] {
        let overlay = rollupBuffer.rollups(matching: query)
        var sql = "SELECT * FROM report_rollups WHERE bucket_start >= ? AND bucket_start < ?"
        var arguments: StatementArguments = [SQLCodec.seconds(query.from), SQLCodec.seconds(query.to)]
        if let model = query.model {
            sql += " AND model = ?"
            arguments += [model]
        }
        if let version = query.version {
            sql += " AND version = ?"
            arguments += [version]
        }
        if let zone = query.zone {
            sql += " AND zone = ?"
            arguments += [zone]
        }
        sql += " ORDER BY bucket_start"
        let finalSQL = sql
        let finalArguments = arguments
        var rows = try await pool.read { db in
            var rows: [RollupRow] = []
            let cursor = try Row.fetchCursor(db, sql: finalSQL, arguments: finalArguments)
            while let row = try cursor.next() {
                let key = RollupKey(
                    model: row["model"], version: row["version"], zone: row["zone"],
                    bucketStart: SQLCodec.date(row["bucket_start"] as Double))
                if overlay[key] != nil { continue }
                rows.append(RollupRow(key: key, rollup: try SQLCodec.decode(ReportRollup.self, row["rollup_json"] as Data)))
            }
            return rows
        }
        guard !overlay.isEmpty else { return rows }
        for (key, rollup) in overlay { rows.append(RollupRow(key: key, rollup: rollup)) }
        rows.sort { a, b in
            (a.key.bucketStart, a.key.model, a.key.version, a.key.zone)
                < (b.key.bucketStart, b.key.model, b.key.version, b.key.zone)
        }
        return rows
    }

    /// Deletes old reports (after writing pending rollups, so that no report still to be replayed goes).
    public func pruneReports(receivedBefore date: Date) async throws -> Int {
        try await writeRollupsFirst { db in
            try db.execute(sql: "DELETE FROM reports WHERE received_at < ?", arguments: [SQLCodec.seconds(date)])
            return db.changesCount
        }
    }

    /// Deletes old rollups (after writing pending ones) and forgets them in memory.
    public func pruneRollups(before date: Date) async throws -> Int {
        try await writeRollupsFirst { [rollupBuffer] db in
            try db.execute(sql: "DELETE FROM report_rollups WHERE bucket_start < ?", arguments: [SQLCodec.seconds(date)])
            rollupBuffer.removeBuckets(before: date)
            return db.changesCount
        }
    }

    /// Writes every rollup held in memory to the table now (for a clean shutdown; reopening replays otherwise).
    public func flushRollups() async throws {
        try await writeRollupsFirst { _ in () }
    }
}
