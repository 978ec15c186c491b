import ControlPlaneCore
import GRDB

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A `TrainingStore` in the control plane's SQLite file (table `training_runs`: one row per run, its state as JSON).
public struct SQLiteTrainingStore: TrainingStore {
    private let pool: DatabasePool

    /// Uses the pool of the control plane's store (migration `0105` must be applied).
    public init(pool: DatabasePool) { self.pool = pool }

    /// Inserts or replaces a run's state.
    public func saveRun(_ state: TrainingRunState) async throws {
        let encoder = TrainingRunState.encoder()
        let stateJSON = try encoder.encode(state)
        let healthJSON = String(decoding: try encoder.encode(state.health), as: UTF8.self)
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO training_runs (run_id, status, last_seen_at, health_json, state_json) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (run_id) DO UPDATE SET status = excluded.status, last_seen_at = excluded.last_seen_at,
                        health_json = excluded.health_json, state_json = excluded.state_json
                    """,
                arguments: [
                    state.health.runID, state.health.status.rawValue, SQLCodec.seconds(state.health.lastSeenAt), healthJSON, stateJSON,
                ])
        }
    }

    /// One run's state.
    public func run(id: String) async throws -> TrainingRunState? {
        let data = try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT state_json FROM training_runs WHERE run_id = ?", arguments: [id])
        }
        return try data.map { try TrainingRunState.decoder().decode(TrainingRunState.self, from: $0) }
    }

    /// Health of runs, most recently active first.
    public func runs(limit: Int) async throws -> [TrainingRunHealth] {
        let rows = try await pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT health_json FROM training_runs ORDER BY last_seen_at DESC, run_id DESC LIMIT ?",
                arguments: [min(limit, Int(Int32.max))])
        }
        let decoder = TrainingRunState.decoder()
        return try rows.map { try decoder.decode(TrainingRunHealth.self, from: Data($0.utf8)) }
    }
}
