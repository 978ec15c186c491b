import ControlPlaneCore
import DroverAPI
import GRDB

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension SQLiteControlPlaneStore {
    /// Registers a version unless one with the same model and version exists.
    public func insertVersion(_ version: VersionRecord) async throws -> VersionInsertOutcome {
        let inputs = try SQLCodec.json(version.inputs)
        let outputs = try SQLCodec.json(version.outputs)
        let footprint = try version.footprint.map(SQLCodec.json)
        let metrics = try SQLCodec.json(version.offlineMetrics)
        let lineage = try version.lineage.map(SQLCodec.json)
        return try await pool.write { db in
            if let existing = try Self.version(db, model: version.model, version: version.version) { return .existing(existing) }
            try db.execute(
                sql: """
                    INSERT INTO versions (model, version, artifact_uri, sha256, inputs_json, outputs_json, footprint_json,
                        offline_metrics_json, lineage_json, derived_from, training_run_id, reference_profile_digest, status,
                        created_at, created_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    version.model, version.version, version.artifactURI, version.sha256, inputs, outputs, footprint, metrics,
                    lineage, version.lineage?.derivedFrom, version.trainingRunID, version.referenceProfileDigest,
                    version.status.rawValue, SQLCodec.seconds(version.createdAt), version.createdBy,
                ])
            return .inserted(try Self.version(db, model: version.model, version: version.version)!)
        }
    }

    /// One version.
    public func version(model: String, version: String) async throws -> VersionRecord? {
        try await pool.read { db in try Self.version(db, model: model, version: version) }
    }

    /// All versions, oldest first.
    public func versions(model: String?) async throws -> [VersionRecord] {
        try await pool.read { db in
            let rows =
                if let model {
                    try Row.fetchAll(db, sql: "SELECT * FROM versions WHERE model = ? ORDER BY seq", arguments: [model])
                } else {
                    try Row.fetchAll(db, sql: "SELECT * FROM versions ORDER BY seq")
                }
            return try rows.map { try Self.version(db, $0) }
        }
    }

    /// Children of a version.
    public func children(model: String, of version: String) async throws -> [VersionRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM versions WHERE model = ? AND derived_from = ? ORDER BY seq", arguments: [model, version]
            ).map { try Self.version(db, $0) }
        }
    }

    /// Sets a status.
    public func setStatus(model: String, version: String, status: VersionStatus) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE versions SET status = ? WHERE model = ? AND version = ?", arguments: [status.rawValue, model, version])
            return db.changesCount > 0
        }
    }

    /// Points an alias.
    public func setAlias(model: String, alias: String, version: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO version_aliases (model, alias, version) VALUES (?, ?, ?)
                    ON CONFLICT (model, alias) DO UPDATE SET version = excluded.version
                    """,
                arguments: [model, alias, version])
        }
    }

    /// Removes an alias.
    public func removeAlias(model: String, alias: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM version_aliases WHERE model = ? AND alias = ?", arguments: [model, alias])
            return db.changesCount > 0
        }
    }

    /// Stores a profile and its digest on the version.
    public func putProfile(model: String, version: String, profile: StoredProfile) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO reference_profiles (model, version, digest, body) VALUES (?, ?, ?, ?)
                    ON CONFLICT (model, version) DO UPDATE SET digest = excluded.digest, body = excluded.body
                    """,
                arguments: [model, version, profile.digest, Data(profile.json)])
            try db.execute(
                sql: "UPDATE versions SET reference_profile_digest = ? WHERE model = ? AND version = ?",
                arguments: [profile.digest, model, version])
        }
    }

    /// A profile.
    public func profile(model: String, version: String) async throws -> StoredProfile? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT digest, body FROM reference_profiles WHERE model = ? AND version = ?", arguments: [model, version]
            ).map { StoredProfile(digest: $0["digest"], json: Array($0["body"] as Data)) }
        }
    }

    static func version(_ db: Database, model: String, version: String) throws -> VersionRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM versions WHERE model = ? AND version = ?", arguments: [model, version])
            .map { try Self.version(db, $0) }
    }

    static func version(_ db: Database, _ row: Row) throws -> VersionRecord {
        let model: String = row["model"]
        let version: String = row["version"]
        guard let status = VersionStatus(rawValue: row["status"]) else {
            throw ControlPlaneError.storage("version \(model)/\(version) has unknown status \(row["status"] as String)")
        }
        let aliases = try String.fetchAll(
            db, sql: "SELECT alias FROM version_aliases WHERE model = ? AND version = ? ORDER BY alias", arguments: [model, version])
        return VersionRecord(
            model: model, version: version, artifactURI: row["artifact_uri"], sha256: row["sha256"],
            inputs: try SQLCodec.decode([TensorSpec].self, row["inputs_json"] as String),
            outputs: try SQLCodec.decode([TensorSpec].self, row["outputs_json"] as String),
            footprint: try (row["footprint_json"] as String?).map { try SQLCodec.decode(ModelFootprint.self, $0) },
            offlineMetrics: try SQLCodec.decode([String: Double].self, row["offline_metrics_json"] as String),
            lineage: try (row["lineage_json"] as String?).map { try SQLCodec.decode(Lineage.self, $0) },
            trainingRunID: row["training_run_id"], referenceProfileDigest: row["reference_profile_digest"], status: status,
            aliases: aliases, createdAt: SQLCodec.date(row["created_at"] as Double), createdBy: row["created_by"])
    }
}
