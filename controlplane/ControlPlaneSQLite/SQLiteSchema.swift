import GRDB

/// One append-only schema step, identified as `NNNN-verb-noun`.
public struct SQLiteMigration: Sendable {
    /// The identifier, e.g. `0001-create-tokens`; never renamed once released.
    public var identifier: String
    /// The schema change.
    public var migrate: @Sendable (Database) throws -> Void

    /// Creates a migration.
    public init(_ identifier: String, migrate: @escaping @Sendable (Database) throws -> Void) {
        self.identifier = identifier
        self.migrate = migrate
    }
}

/// The control plane's SQLite schema: snake_case tables, dates as Unix seconds (REAL), JSON in TEXT/BLOB.
///
/// Other areas (alerts, retraining, training monitor) add their own `[SQLiteMigration]` in a
/// `SQLiteSchema+Area.swift` file and append it to `all`, after the spine's; identifiers keep growing.
public enum SQLiteSchema {
    /// Every migration, in order.
    public static var all: [SQLiteMigration] { spine + alerting + ingest }

    /// The spine: tokens, agents, reports and rollups, versions, desired/observed state, audit log.
    static let spine: [SQLiteMigration] = [
        SQLiteMigration("0001-create-tokens") { db in
            try db.execute(
                sql: """
                    CREATE TABLE tokens (
                        id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL,
                        role TEXT NOT NULL,
                        secret_hash TEXT NOT NULL UNIQUE,
                        agent_id TEXT,
                        created_at REAL NOT NULL,
                        created_by TEXT NOT NULL,
                        revoked_at REAL
                    );
                    CREATE INDEX tokens_agent_id ON tokens(agent_id);
                    """)
        },
        SQLiteMigration("0002-create-agents") { db in
            try db.execute(
                sql: """
                    CREATE TABLE agents (
                        id TEXT PRIMARY KEY NOT NULL,
                        model TEXT NOT NULL,
                        labels_json TEXT NOT NULL,
                        server_kind TEXT,
                        agent_version TEXT,
                        version TEXT,
                        enrolled_at REAL NOT NULL,
                        last_seen REAL,
                        spool_depth INTEGER
                    );
                    CREATE INDEX agents_model ON agents(model);
                    """)
        },
        SQLiteMigration("0003-create-reports") { db in
            try db.execute(
                sql: """
                    CREATE TABLE reports (
                        id TEXT PRIMARY KEY NOT NULL,
                        agent_id TEXT NOT NULL,
                        model TEXT NOT NULL,
                        version TEXT NOT NULL,
                        zone TEXT NOT NULL,
                        window_start REAL NOT NULL,
                        window_end REAL NOT NULL,
                        received_at REAL NOT NULL,
                        body BLOB NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX reports_agent_window ON reports(agent_id, window_start);
                    CREATE INDEX reports_received_at ON reports(received_at);
                    CREATE TABLE report_rollups (
                        model TEXT NOT NULL,
                        version TEXT NOT NULL,
                        zone TEXT NOT NULL,
                        bucket_start REAL NOT NULL,
                        rollup_json BLOB NOT NULL,
                        PRIMARY KEY (model, version, zone, bucket_start)
                    ) WITHOUT ROWID;
                    CREATE INDEX report_rollups_bucket ON report_rollups(bucket_start);
                    """)
        },
        SQLiteMigration("0004-create-versions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE versions (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        model TEXT NOT NULL,
                        version TEXT NOT NULL,
                        artifact_uri TEXT NOT NULL,
                        sha256 TEXT NOT NULL,
                        inputs_json TEXT NOT NULL,
                        outputs_json TEXT NOT NULL,
                        footprint_json TEXT,
                        offline_metrics_json TEXT NOT NULL,
                        lineage_json TEXT,
                        derived_from TEXT,
                        training_run_id TEXT,
                        reference_profile_digest TEXT,
                        status TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        created_by TEXT NOT NULL,
                        UNIQUE (model, version)
                    );
                    CREATE INDEX versions_derived_from ON versions(model, derived_from);
                    CREATE TABLE version_aliases (
                        model TEXT NOT NULL,
                        alias TEXT NOT NULL,
                        version TEXT NOT NULL,
                        PRIMARY KEY (model, alias)
                    );
                    CREATE TABLE reference_profiles (
                        model TEXT NOT NULL,
                        version TEXT NOT NULL,
                        digest TEXT NOT NULL,
                        body BLOB NOT NULL,
                        PRIMARY KEY (model, version)
                    );
                    """)
        },
        SQLiteMigration("0005-create-desired-states") { db in
            try db.execute(
                sql: """
                    CREATE TABLE desired_states (
                        agent_id TEXT PRIMARY KEY NOT NULL,
                        model TEXT NOT NULL,
                        version TEXT NOT NULL,
                        generation INTEGER NOT NULL,
                        plan_id TEXT,
                        reason TEXT NOT NULL,
                        updated_at REAL NOT NULL,
                        updated_by TEXT NOT NULL
                    );
                    CREATE INDEX desired_states_version ON desired_states(model, version);
                    CREATE TABLE observed_states (
                        agent_id TEXT PRIMARY KEY NOT NULL,
                        model TEXT NOT NULL,
                        version TEXT NOT NULL,
                        generation INTEGER NOT NULL,
                        status TEXT NOT NULL,
                        error TEXT,
                        observed_at REAL NOT NULL,
                        received_at REAL NOT NULL
                    );
                    """)
        },
        SQLiteMigration("0006-create-audit-log") { db in
            try db.execute(
                sql: """
                    CREATE TABLE audit_log (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        at REAL NOT NULL,
                        actor TEXT NOT NULL,
                        token_id TEXT NOT NULL,
                        action TEXT NOT NULL,
                        target TEXT NOT NULL,
                        detail_json TEXT NOT NULL
                    );
                    """)
        },
    ]

    /// A migrator holding every migration.
    public static func migrator(_ migrations: [SQLiteMigration] = all) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for m in migrations { migrator.registerMigration(m.identifier, migrate: m.migrate) }
        return migrator
    }
}
