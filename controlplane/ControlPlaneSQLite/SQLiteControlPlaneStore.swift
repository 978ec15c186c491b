import ControlPlaneCore
import DroverAPI
import GRDB

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A `ControlPlaneStore` in one SQLite file (WAL) through a GRDB `DatabasePool`.
///
/// Writes run on GRDB's writer queue via its async API (no lock is held on a cooperative thread while
/// SQLite steps); report ingest coalesces concurrent requests into one transaction.
public final class SQLiteControlPlaneStore: ControlPlaneStore {
    /// The database file name inside the data directory.
    public static let fileName = "drover.sqlite"

    /// The pool, for other areas' stores sharing this file.
    public let pool: DatabasePool
    let coalescer: WriteCoalescer<IngestItem>
    let rollupBuffer: RollupBuffer

    /// Opens (creating if needed) `<dataDirectory>/drover.sqlite`, applies pending migrations and replays the
    /// reports written since the last rollup flush into their rollups.
    public convenience init(
        dataDirectory: String, migrations: [SQLiteMigration] = SQLiteSchema.all, rollupFlush: RollupFlushPolicy = .init()
    ) throws {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        try self.init(
            path: dataDirectory.hasSuffix("/") ? dataDirectory + Self.fileName : dataDirectory + "/" + Self.fileName,
            migrations: migrations, rollupFlush: rollupFlush)
    }

    /// Opens (creating if needed) the database at `path`, applies pending migrations and replays the reports
    /// written since the last rollup flush into their rollups. Open one store per database file.
    public init(path: String, migrations: [SQLiteMigration] = SQLiteSchema.all, rollupFlush: RollupFlushPolicy = .init()) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try SQLiteSchema.migrator(migrations).migrate(pool)
        self.pool = pool
        let rollupBuffer = RollupBuffer(policy: rollupFlush)
        try pool.write { db in try Self.rebuildRollups(db, buffer: rollupBuffer) }
        self.rollupBuffer = rollupBuffer
        coalescer = WriteCoalescer { items in try await SQLiteControlPlaneStore.writeBatch(pool, items, buffer: rollupBuffer) }
    }

    /// Checks that the database answers.
    public func ping() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    /// Identifiers of applied migrations.
    public func appliedMigrations() async throws -> [String] {
        try await pool.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") }
    }
}

/// JSON and date helpers for columns.
enum SQLCodec {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    /// One decoder for every column (JSONDecoder is thread-safe; creating one per row was measurable).
    static let decoder = JSONDecoder()

    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func jsonData<T: Encodable>(_ value: T) throws -> Data { try encoder.encode(value) }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try decoder.decode(type, from: Data(text.utf8))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        try decoder.decode(type, from: data)
    }

    static func seconds(_ date: Date) -> Double { date.timeIntervalSince1970 }
    static func optionalSeconds(_ date: Date?) -> Double? { date.map { $0.timeIntervalSince1970 } }
    static func date(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }
    static func optionalDate(_ seconds: Double?) -> Date? { seconds.map { Date(timeIntervalSince1970: $0) } }
}
