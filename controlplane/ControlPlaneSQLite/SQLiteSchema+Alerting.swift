import GRDB

extension SQLiteSchema {
    /// Alerts, their deliveries and rules; retrain requests; training runs (numbered 01xx, after the spine's).
    static let alerting: [SQLiteMigration] = [
        SQLiteMigration("0101-create-alerts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE alerts (
                        fingerprint TEXT NOT NULL,
                        starts_at_ms INTEGER NOT NULL,
                        starts_at REAL NOT NULL,
                        rule TEXT NOT NULL,
                        severity TEXT NOT NULL,
                        status TEXT NOT NULL,
                        labels_json TEXT NOT NULL,
                        annotations_json TEXT NOT NULL,
                        ends_at REAL,
                        PRIMARY KEY (fingerprint, starts_at_ms)
                    );
                    CREATE INDEX alerts_status_starts_at ON alerts(status, starts_at);
                    """)
        },
        SQLiteMigration("0102-create-alert-deliveries") { db in
            try db.execute(
                sql: """
                    CREATE TABLE alert_deliveries (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        receiver TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        state TEXT NOT NULL,
                        attempts INTEGER NOT NULL,
                        next_attempt_at REAL NOT NULL,
                        created_at REAL NOT NULL,
                        last_error TEXT,
                        delivered_at REAL,
                        alert_json TEXT NOT NULL
                    );
                    CREATE INDEX alert_deliveries_due ON alert_deliveries(state, next_attempt_at);
                    """)
        },
        SQLiteMigration("0103-create-alert-rules") { db in
            try db.execute(sql: "CREATE TABLE alert_rules (name TEXT PRIMARY KEY NOT NULL, rule_json TEXT NOT NULL);")
        },
        SQLiteMigration("0104-create-retrain-requests") { db in
            try db.execute(
                sql: """
                    CREATE TABLE retrain_requests (
                        id TEXT PRIMARY KEY NOT NULL,
                        model TEXT NOT NULL,
                        state TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        request_json TEXT NOT NULL
                    );
                    CREATE INDEX retrain_requests_model_created_at ON retrain_requests(model, created_at);
                    """)
        },
        SQLiteMigration("0105-create-training-runs") { db in
            try db.execute(
                sql: """
                    CREATE TABLE training_runs (
                        run_id TEXT PRIMARY KEY NOT NULL,
                        status TEXT NOT NULL,
                        last_seen_at REAL NOT NULL,
                        health_json TEXT NOT NULL,
                        state_json BLOB NOT NULL
                    );
                    CREATE INDEX training_runs_last_seen_at ON training_runs(last_seen_at);
                    """)
        },
    ]
}
