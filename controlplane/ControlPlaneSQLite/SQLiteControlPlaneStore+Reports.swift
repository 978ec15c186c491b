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

    /// Writes a batch in one transaction; one "stored now" flag per item. Merged rollups come from `cache` when
    /// it has them (else from the table) and go back into it once the transaction has committed.
    static func writeBatch(_ pool: DatabasePool, _ items: [IngestItem], cache: RollupCache) async throws -> [Bool] {
        let flags: [Bool]
        let merged: [RollupKey: ReportRollup]
        do {
            (flags, merged) = try await writeBatchTransaction(pool, items, cache: cache)
        } catch {
            cache.removeAll()
            throw error
        }
        cache.update(merged)
        return flags
    }

    private static func writeBatchTransaction(
        _ pool: DatabasePool, _ items: [IngestItem], cache: RollupCache
    ) async throws -> ([Bool], [RollupKey: ReportRollup]) {
        try await pool.write { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO reports (id, agent_id, model, version, zone, window_start, window_end, received_at, body)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            var flags: [Bool] = []
            flags.reserveCapacity(items.count)
            var rollups: [RollupKey: ReportRollup] = [:]
            var sightings: [String: AgentSighting] = [:]
            for item in items {
                let r = item.report
                try insert.execute(arguments: [
                    r.id, r.agentID, r.model, r.version, r.zone, SQLCodec.seconds(r.windowStart), SQLCodec.seconds(r.windowEnd),
                    SQLCodec.seconds(r.receivedAt), Data(r.json),
                ])
                let new = db.changesCount > 0
                flags.append(new)
                guard new else { continue }
                rollups[item.key, default: ReportRollup()].merge(item.rollup)
                if let s = sightings[r.agentID], s.at > r.receivedAt { continue }
                sightings[r.agentID] = AgentSighting(agentID: r.agentID, at: r.receivedAt, version: r.version)
            }
            let select = try db.cachedStatement(
                sql: "SELECT rollup_json FROM report_rollups WHERE model = ? AND version = ? AND zone = ? AND bucket_start = ?")
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO report_rollups (model, version, zone, bucket_start, rollup_json) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (model, version, zone, bucket_start) DO UPDATE SET rollup_json = excluded.rollup_json
                    """)
            var written: [RollupKey: ReportRollup] = [:]
            for (key, rollup) in rollups {
                let args: StatementArguments = [key.model, key.version, key.zone, SQLCodec.seconds(key.bucketStart)]
                var merged = rollup
                if let cached = cache.rollup(key) {
                    merged = cached
                    merged.merge(rollup)
                } else if let data = try Data.fetchOne(select, arguments: args) {
                    merged = try SQLCodec.decode(ReportRollup.self, data)
                    merged.merge(rollup)
                }
                try upsert.execute(arguments: args + [try SQLCodec.jsonData(merged)])
                written[key] = merged
            }
            for sighting in sightings.values { try applySighting(db, sighting, labelsJSON: nil) }
            return (flags, written)
        }
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

    /// Rollups matching a query.
    public func rollups(_ query: RollupQuery) async throws -> [RollupRow] {
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
        return try await pool.read { db in
            try Row.fetchAll(db, sql: finalSQL, arguments: finalArguments).map { row in
                RollupRow(
                    key: RollupKey(
                        model: row["model"], version: row["version"], zone: row["zone"],
                        bucketStart: SQLCodec.date(row["bucket_start"] as Double)),
                    rollup: try SQLCodec.decode(ReportRollup.self, row["rollup_json"] as Data))
            }
        }
    }

    /// Deletes old reports.
    public func pruneReports(receivedBefore date: Date) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM reports WHERE received_at < ?", arguments: [SQLCodec.seconds(date)])
            return db.changesCount
        }
    }

    /// Deletes old rollups.
    public func pruneRollups(before date: Date) async throws -> Int {
        defer { rollupCache.removeAll() }
        return try await pool.write { db in
            try db.execute(sql: "DELETE FROM report_rollups WHERE bucket_start < ?", arguments: [SQLCodec.seconds(date)])
            return db.changesCount
        }
    }
}

/// Merged rollups as last committed, by key, so an ingest batch neither re-reads nor re-decodes them.
///
/// Only the ingest writer (one coalesced batch at a time) reads and updates it; the map is guarded by a `Mutex`.
/// Any failed batch or rollup pruning empties it, and so does growing past `capacity` keys.
final class RollupCache: Sendable {
    private let entries = Mutex<[RollupKey: ReportRollup]>([:])
    private let capacity: Int

    /// Creates an empty cache holding at most `capacity` keys.
    init(capacity: Int = 4096) { self.capacity = capacity }

    /// The committed rollup of `key`, when cached.
    func rollup(_ key: RollupKey) -> ReportRollup? { entries.withLock { $0[key] } }

    /// Records rollups just committed.
    func update(_ rollups: [RollupKey: ReportRollup]) {
        entries.withLock { map in
            if map.count + rollups.count > capacity { map.removeAll(keepingCapacity: true) }
            map.merge(rollups) { _, new in new }
        }
    }

    /// Forgets everything (the table is read again on the next miss).
    func removeAll() { entries.withLock { $0.removeAll() } }
}
