import ControlPlaneCore
import DroverAPI
import GRDB

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Writing rollups back from the `RollupBuffer` and rebuilding them after a crash or a failed write.
extension SQLiteControlPlaneStore {
    /// Runs `body` in a write transaction that first writes every rollup held in memory and the watermark.
    func writeRollupsFirst<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let buffer = rollupBuffer
        do {
            return try await pool.write { db in
                if buffer.needsRebuild { try Self.rebuildRollups(db, buffer: buffer) }
                if let flush = buffer.flush(force: true) { try Self.writeFlush(db, flush, buffer: buffer) }
                return try body(db)
            }
        } catch {
            buffer.invalidate()
            try? await pool.write { db in try Self.rebuildRollups(db, buffer: buffer) }
            throw error
        }
    }

    /// Merges the reports above the watermark into their table rows, in `seq` order (as ingest merged them),
    /// moves the watermark to the last of them and resets the buffer to an empty, current state.
    static func rebuildRollups(_ db: Database, buffer: RollupBuffer) throws {
        let watermark = try Int64.fetchOne(db, sql: "SELECT seq FROM rollup_watermark WHERE id = 1") ?? 0
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT seq, model, version, zone, bucket_start, body FROM reports WHERE seq > ? ORDER BY seq",
            arguments: [watermark])
        var last = watermark
        var rebuilt: [RollupKey: ReportRollup] = [:]
        for row in rows {
            let key = RollupKey(
                model: row["model"], version: row["version"], zone: row["zone"],
                bucketStart: SQLCodec.date(row["bucket_start"] as Double))
            let report: Report
            do {
                report = try DroverJSON.decode(Report.self, from: row["body"] as Data)
            } catch {
                throw SQLiteStoreError.unreadableReport(seq: row["seq"], underlying: error)
            }
            if rebuilt[key] == nil { rebuilt[key] = try loadRollups(db, [key])[key] ?? ReportRollup() }
            rebuilt[key]?.merge(ReportRollup(report: report))
            last = row["seq"]
        }
        if !rebuilt.isEmpty || last != watermark {
            try writeFlush(db, RollupBuffer.Flush(rollups: rebuilt.map { ($0.key, $0.value) }, seq: last), buffer: nil)
        }
        buffer.reset(nextSeq: last + 1, mergedSeq: last)
    }

    /// The table rows of `keys` (keys without a row are absent).
    static func loadRollups(_ db: Database, _ keys: [RollupKey]) throws -> [RollupKey: ReportRollup] {
        guard !keys.isEmpty else { return [:] }
        let select = try db.cachedStatement(
            sql: "SELECT rollup_json FROM report_rollups WHERE model = ? AND version = ? AND zone = ? AND bucket_start = ?")
        var out: [RollupKey: ReportRollup] = [:]
        for key in keys {
            let args: StatementArguments = [key.model, key.version, key.zone, SQLCodec.seconds(key.bucketStart)]
            if let data = try Data.fetchOne(select, arguments: args) { out[key] = try SQLCodec.decode(ReportRollup.self, data) }
        }
        return out
    }

    /// Upserts a flush's rollups and sets the watermark; marks them written in `buffer`.
    static func writeFlush(_ db: Database, _ flush: RollupBuffer.Flush, buffer: RollupBuffer?) throws {
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO report_rollups (model, version, zone, bucket_start, rollup_json) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (model, version, zone, bucket_start) DO UPDATE SET rollup_json = excluded.rollup_json
                """)
        for (key, rollup) in flush.rollups {
            try upsert.execute(arguments: [
                key.model, key.version, key.zone, SQLCodec.seconds(key.bucketStart), try SQLCodec.jsonData(rollup),
            ])
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO rollup_watermark (id, seq) VALUES (1, ?)
                ON CONFLICT (id) DO UPDATE SET seq = excluded.seq
                """
        ).execute(arguments: [flush.seq])
        buffer?.flushed(flush)
    }
}

/// A stored report could not be read back while rebuilding rollups.
public struct SQLiteStoreError: Error, CustomStringConvertible {
    private enum Code {
        case unreadableReport(seq: Int64, underlying: String)
    }

    private let code: Code

    /// A report above the rollup watermark does not decode.
    static func unreadableReport(seq: Int64, underlying: any Error) -> SQLiteStoreError {
        SQLiteStoreError(code: .unreadableReport(seq: seq, underlying: "\(underlying)"))
    }

    /// What went wrong and what to do.
    public var description: String {
        switch code {
        case .unreadableReport(let seq, let underlying):
            "the stored report with seq \(seq) does not decode, so its rollup cannot be rebuilt (\(underlying)); "
                + "delete that row from the reports table (or restore the database) and restart"
        }
    }
}
