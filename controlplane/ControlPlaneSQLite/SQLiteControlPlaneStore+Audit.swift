import ControlPlaneCore
import GRDB

extension SQLiteControlPlaneStore {
    /// Appends to the audit log.
    public func appendAudit(_ entry: AuditEntry) async throws {
        let detail = try SQLCodec.json(entry.detail)
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO audit_log (at, actor, token_id, action, target, detail_json) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [SQLCodec.seconds(entry.at), entry.actor, entry.tokenID, entry.action, entry.target, detail])
        }
    }

    /// Reads the audit log, newest first.
    public func audit(after: Int64, limit: Int) async throws -> [AuditEntry] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM audit_log WHERE seq > ? ORDER BY seq DESC LIMIT ?", arguments: [after, limit]
            ).map { row in
                AuditEntry(
                    sequence: row["seq"], at: SQLCodec.date(row["at"] as Double), actor: row["actor"], tokenID: row["token_id"],
                    action: row["action"], target: row["target"],
                    detail: try SQLCodec.decode([String: String].self, row["detail_json"] as String))
            }
        }
    }
}
