import ControlPlaneCore
import DroverAPI
import GRDB

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension SQLiteControlPlaneStore {
    /// Inserts or replaces an agent, keeping the first enrolment time.
    public func upsertAgent(_ agent: AgentRecord) async throws {
        let labels = try SQLCodec.json(agent.labels)
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO agents (id, model, labels_json, server_kind, agent_version, version, enrolled_at, last_seen, spool_depth)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET
                        model = excluded.model, labels_json = excluded.labels_json, server_kind = excluded.server_kind,
                        agent_version = excluded.agent_version, version = COALESCE(excluded.version, agents.version),
                        last_seen = COALESCE(excluded.last_seen, agents.last_seen),
                        spool_depth = COALESCE(excluded.spool_depth, agents.spool_depth)
                    """,
                arguments: [
                    agent.id, agent.model, labels, agent.serverKind, agent.agentVersion, agent.version,
                    SQLCodec.seconds(agent.enrolledAt), SQLCodec.optionalSeconds(agent.lastSeen), agent.spoolDepth,
                ])
        }
    }

    /// One agent.
    public func agent(id: String) async throws -> AgentRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM agents WHERE id = ?", arguments: [id]).map(Self.agent)
        }
    }

    /// All agents, optionally of one model.
    public func agents(model: String?) async throws -> [AgentRecord] {
        try await pool.read { db in
            if let model {
                return try Row.fetchAll(db, sql: "SELECT * FROM agents WHERE model = ? ORDER BY id", arguments: [model]).map(Self.agent)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM agents ORDER BY id").map(Self.agent)
        }
    }

    /// Records sightings.
    @discardableResult
    public func recordSightings(_ sightings: [AgentSighting]) async throws -> Set<String> {
        let encoded = try sightings.map { ($0, try $0.labels.map(SQLCodec.json)) }
        return try await pool.write { db in
            var seen = Set<String>()
            for (s, labels) in encoded {
                try Self.applySighting(db, s, labelsJSON: labels)
                if db.changesCount > 0 { seen.insert(s.agentID) }
            }
            return seen
        }
    }

    static func applySighting(_ db: Database, _ s: AgentSighting, labelsJSON: String?) throws {
        let statement = try db.cachedStatement(
            sql: """
                UPDATE agents SET
                    version = CASE WHEN last_seen IS NULL OR last_seen <= ?1 THEN COALESCE(?2, version) ELSE version END,
                    last_seen = MAX(COALESCE(last_seen, ?1), ?1),
                    labels_json = COALESCE(?3, labels_json),
                    spool_depth = COALESCE(?4, spool_depth),
                    agent_version = COALESCE(?6, agent_version)
                WHERE id = ?5
                """)
        try statement.execute(
            arguments: [SQLCodec.seconds(s.at), s.version, labelsJSON, s.spoolDepth, s.agentID, s.agentVersion])
    }

    static func agent(_ row: Row) throws -> AgentRecord {
        AgentRecord(
            id: row["id"], model: row["model"], labels: try labels(row["labels_json"] as String),
            serverKind: row["server_kind"], agentVersion: row["agent_version"], version: row["version"],
            enrolledAt: SQLCodec.date(row["enrolled_at"] as Double), lastSeen: SQLCodec.optionalDate(row["last_seen"] as Double?),
            spoolDepth: row["spool_depth"])
    }

    /// Reads a `labels_json` column (a flat object of strings, as `upsertAgent` writes it) with the JSON pull
    /// reader: no JSONDecoder per row.
    static func labels(_ json: String) throws -> [String: String] {
        if json == "{}" { return [:] }
        return try JSONReader.read(Array(json.utf8)) { (reader: inout JSONReader) throws(JSONReadError) -> [String: String] in
            var labels: [String: String] = [:]
            var cursor = try reader.beginObject(expected: "an object of label strings")
            while let key = try reader.nextKey(in: &cursor) { labels[key.string] = try reader.readString() }
            return labels
        }
    }
}
