import GRDB

extension SQLiteSchema {
    /// The ingest write path (numbered 02xx, after the alerting area's).
    static let ingest: [SQLiteMigration] = [
        // Rollups are written back once per flush instead of once per batch (see `RollupBuffer`). Each new report
        // gets an increasing `seq` and its rollup `bucket_start`; `rollup_watermark.seq` is the last report merged
        // into the `report_rollups` table, so reports above it are replayed on open. Older rows keep NULL (their
        // rollups were written with them).
        SQLiteMigration("0201-add-report-sequence") { db in
            try db.execute(
                sql: """
                    ALTER TABLE reports ADD COLUMN seq INTEGER;
                    ALTER TABLE reports ADD COLUMN bucket_start REAL;
                    CREATE INDEX reports_seq ON reports(seq);
                    CREATE TABLE rollup_watermark (
                        id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
                        seq INTEGER NOT NULL
                    );
                    """)
        }
    ]
}
