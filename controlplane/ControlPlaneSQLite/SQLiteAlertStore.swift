import ControlPlaneCore
import DroverAPI
import GRDB

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An `AlertStore` in the control plane's SQLite file (tables `alerts`, `alert_deliveries`, `alert_rules`).
public struct SQLiteAlertStore: AlertStore {
    private let pool: DatabasePool

    /// Uses the pool of the control plane's store (migrations `0101`–`0103` must be applied).
    public init(pool: DatabasePool) { self.pool = pool }

    /// Inserts or replaces the occurrence and enqueues new deliveries, in one transaction.
    public func record(_ alert: Alert, deliveries: [AlertDelivery]) async throws {
        let labels = try SQLCodec.json(alert.labels)
        let annotations = try SQLCodec.json(alert.annotations)
        let rows = try deliveries.map { ($0, try SQLCodec.json($0.alert)) }
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO alerts (fingerprint, starts_at_ms, starts_at, rule, severity, status, labels_json, annotations_json, ends_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (fingerprint, starts_at_ms) DO UPDATE SET
                        rule = excluded.rule, severity = excluded.severity, status = excluded.status,
                        labels_json = excluded.labels_json, annotations_json = excluded.annotations_json, ends_at = excluded.ends_at
                    """,
                arguments: [
                    alert.fingerprint, Self.millis(alert.startsAt), SQLCodec.seconds(alert.startsAt), alert.rule, alert.severity,
                    alert.status.rawValue, labels, annotations, SQLCodec.optionalSeconds(alert.endsAt),
                ])
            for (delivery, json) in rows {
                try Self.insert(delivery, json: json, db)
            }
        }
    }

    /// Alerts, newest first.
    public func alerts(status: Alert.Status?, limit: Int) async throws -> [Alert] {
        try await pool.read { db in
            let rows: [Row]
            let cap = min(limit, Int(Int32.max))
            if let status {
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM alerts WHERE status = ? ORDER BY starts_at DESC, fingerprint DESC LIMIT ?",
                    arguments: [status.rawValue, cap])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM alerts ORDER BY starts_at DESC, fingerprint DESC LIMIT ?", arguments: [cap])
            }
            return try rows.map { row in
                Alert(
                    fingerprint: row["fingerprint"], rule: row["rule"], severity: row["severity"],
                    status: Alert.Status(rawValue: row["status"]) ?? .firing,
                    labels: try SQLCodec.decode([String: String].self, row["labels_json"] as String),
                    annotations: try SQLCodec.decode([String: String].self, row["annotations_json"] as String),
                    startsAt: SQLCodec.date(row["starts_at"]), endsAt: SQLCodec.optionalDate(row["ends_at"]))
            }
        }
    }

    /// Pending deliveries due by `dueBy`, in enqueue order.
    public func pendingDeliveries(dueBy: Date, limit: Int) async throws -> [AlertDelivery] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM alert_deliveries WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY seq LIMIT ?",
                arguments: [SQLCodec.seconds(dueBy), min(limit, Int(Int32.max))]
            ).map(Self.delivery)
        }
    }

    /// Saves delivery states.
    public func updateDeliveries(_ deliveries: [AlertDelivery]) async throws {
        try await pool.write { db in
            for d in deliveries {
                try db.execute(
                    sql: """
                        UPDATE alert_deliveries SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?, delivered_at = ?
                        WHERE id = ?
                        """,
                    arguments: [
                        d.state.rawValue, d.attempts, SQLCodec.seconds(d.nextAttemptAt), d.lastError, SQLCodec.optionalSeconds(d.deliveredAt), d.id,
                    ])
            }
        }
    }

    /// All deliveries, newest first.
    public func deliveries(limit: Int) async throws -> [AlertDelivery] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM alert_deliveries ORDER BY seq DESC LIMIT ?", arguments: [min(limit, Int(Int32.max))])
                .map(Self.delivery)
        }
    }

    /// Operator-defined rules, by name.
    public func rules() async throws -> [AlertRule] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT rule_json FROM alert_rules ORDER BY name").map { try SQLCodec.decode(AlertRule.self, $0) }
        }
    }

    /// Adds or replaces a rule.
    public func saveRule(_ rule: AlertRule) async throws {
        let json = try SQLCodec.json(rule)
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO alert_rules (name, rule_json) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET rule_json = excluded.rule_json",
                arguments: [rule.name, json])
        }
    }

    /// Deletes a rule.
    public func deleteRule(named name: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM alert_rules WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    private static func insert(_ d: AlertDelivery, json: String, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO alert_deliveries (id, receiver, fingerprint, state, attempts, next_attempt_at, created_at, last_error, delivered_at, alert_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING
                """,
            arguments: [
                d.id, d.receiver, d.alert.fingerprint, d.state.rawValue, d.attempts, SQLCodec.seconds(d.nextAttemptAt),
                SQLCodec.seconds(d.createdAt), d.lastError, SQLCodec.optionalSeconds(d.deliveredAt), json,
            ])
    }

    private static func delivery(_ row: Row) throws -> AlertDelivery {
        var d = AlertDelivery(
            receiver: row["receiver"], alert: try SQLCodec.decode(Alert.self, row["alert_json"] as String), at: SQLCodec.date(row["created_at"]))
        d.id = row["id"]
        d.state = AlertDelivery.State(rawValue: row["state"]) ?? .pending
        d.attempts = row["attempts"]
        d.nextAttemptAt = SQLCodec.date(row["next_attempt_at"])
        d.lastError = row["last_error"]
        d.deliveredAt = SQLCodec.optionalDate(row["delivered_at"])
        return d
    }

    private static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}
