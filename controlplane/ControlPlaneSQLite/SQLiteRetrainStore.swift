import ControlPlaneCore
import GRDB

/// A `RetrainStore` in the control plane's SQLite file (table `retrain_requests`).
public struct SQLiteRetrainStore: RetrainStore {
    private let pool: DatabasePool

    /// Uses the pool of the control plane's store (migration `0104` must be applied).
    public init(pool: DatabasePool) { self.pool = pool }

    /// Inserts or replaces a request.
    public func saveRequest(_ request: RetrainRequest) async throws {
        let json = try SQLCodec.json(request)
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO retrain_requests (id, model, state, created_at, request_json) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET state = excluded.state, request_json = excluded.request_json
                    """,
                arguments: [request.id, request.model, request.state.rawValue, SQLCodec.seconds(request.createdAt), json])
        }
    }

    /// One request.
    public func request(id: String) async throws -> RetrainRequest? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT request_json FROM retrain_requests WHERE id = ?", arguments: [id])
                .map { try SQLCodec.decode(RetrainRequest.self, $0) }
        }
    }

    /// Requests, newest first.
    public func requests(model: String?, limit: Int) async throws -> [RetrainRequest] {
        try await pool.read { db in
            let cap = min(limit, Int(Int32.max))
            let rows =
                if let model {
                    try String.fetchAll(
                        db, sql: "SELECT request_json FROM retrain_requests WHERE model = ? ORDER BY created_at DESC, id DESC LIMIT ?",
                        arguments: [model, cap])
                } else {
                    try String.fetchAll(db, sql: "SELECT request_json FROM retrain_requests ORDER BY created_at DESC, id DESC LIMIT ?", arguments: [cap])
                }
            return try rows.map { try SQLCodec.decode(RetrainRequest.self, $0) }
        }
    }
}
