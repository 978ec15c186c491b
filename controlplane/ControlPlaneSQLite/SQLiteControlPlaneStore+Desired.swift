import ControlPlaneCore
import DroverAPI
import GRDB

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension SQLiteControlPlaneStore {
    /// Sets desired states in one transaction, each generation = previous + 1.
    public func setDesired(_ targets: [DesiredTarget], at: Date, by: String) async throws -> [DesiredRecord] {
        try await pool.write { db in
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO desired_states (agent_id, model, version, generation, plan_id, reason, updated_at, updated_by)
                    VALUES (?1, ?2, ?3, 1, ?4, ?5, ?6, ?7)
                    ON CONFLICT (agent_id) DO UPDATE SET model = excluded.model, version = excluded.version,
                        generation = desired_states.generation + 1, plan_id = excluded.plan_id, reason = excluded.reason,
                        updated_at = excluded.updated_at, updated_by = excluded.updated_by
                    RETURNING generation
                    """)
            return try targets.map { t in
                let generation = try Int64.fetchOne(
                    upsert, arguments: [t.agentID, t.model, t.version, t.planID, t.reason, SQLCodec.seconds(at), by])!
                return DesiredRecord(
                    agentID: t.agentID, model: t.model, version: t.version, generation: generation, planID: t.planID,
                    reason: t.reason, updatedAt: at, updatedBy: by)
            }
        }
    }

    /// One agent's desired state.
    public func desired(agentID: String) async throws -> DesiredRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM desired_states WHERE agent_id = ?", arguments: [agentID]).map(Self.desired)
        }
    }

    /// Desired states naming a version.
    public func desired(model: String, version: String) async throws -> [DesiredRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM desired_states WHERE model = ? AND version = ? ORDER BY agent_id",
                arguments: [model, version]
            ).map(Self.desired)
        }
    }

    /// Stores observed state.
    public func putObserved(_ o: ObservedRecord) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO observed_states (agent_id, model, version, generation, status, error, observed_at, received_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (agent_id) DO UPDATE SET model = excluded.model, version = excluded.version,
                        generation = excluded.generation, status = excluded.status, error = excluded.error,
                        observed_at = excluded.observed_at, received_at = excluded.received_at
                    """,
                arguments: [
                    o.agentID, o.model, o.version, o.generation, o.status.rawValue, o.error, SQLCodec.seconds(o.observedAt),
                    SQLCodec.seconds(o.receivedAt),
                ])
        }
    }

    /// One agent's observed state.
    public func observed(agentID: String) async throws -> ObservedRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM observed_states WHERE agent_id = ?", arguments: [agentID]).map { row in
                guard let status = ObservedState.Status(rawValue: row["status"]) else {
                    throw ControlPlaneError.storage("observed state of \(agentID) has unknown status \(row["status"] as String)")
                }
                return ObservedRecord(
                    agentID: row["agent_id"], model: row["model"], version: row["version"], generation: row["generation"],
                    status: status, error: row["error"], observedAt: SQLCodec.date(row["observed_at"] as Double),
                    receivedAt: SQLCodec.date(row["received_at"] as Double))
            }
        }
    }

    static func desired(_ row: Row) -> DesiredRecord {
        DesiredRecord(
            agentID: row["agent_id"], model: row["model"], version: row["version"], generation: row["generation"],
            planID: row["plan_id"], reason: row["reason"], updatedAt: SQLCodec.date(row["updated_at"] as Double),
            updatedBy: row["updated_by"])
    }
}
