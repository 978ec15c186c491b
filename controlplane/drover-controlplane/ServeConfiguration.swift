import ControlPlaneCore
import ControlPlaneHTTP

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything `serve` needs, resolved from flags, environment, a JSON config file and defaults (in that order).
///
/// | key (file) | environment | default |
/// |---|---|---|
/// | `listen` | `DROVER_LISTEN` | `127.0.0.1:8480` |
/// | `data_dir` | `DROVER_DATA_DIR` | `./drover-data` |
/// | `log_level` | `DROVER_LOG_LEVEL` | `info` |
/// | `report_retention_days` | `DROVER_REPORT_RETENTION_DAYS` | 7 |
/// | `rollup_retention_days` | `DROVER_ROLLUP_RETENTION_DAYS` | 30 |
/// | `rollup_bucket_seconds` | `DROVER_ROLLUP_BUCKET_SECONDS` | 60 |
/// | `stale_after_seconds` | `DROVER_STALE_AFTER_SECONDS` | 180 |
/// | `lost_after_seconds` | `DROVER_LOST_AFTER_SECONDS` | 600 |
/// | `max_body_bytes` | `DROVER_MAX_BODY_BYTES` | 1048576 |
/// | `max_batch_body_bytes` | `DROVER_MAX_BATCH_BODY_BYTES` | 16777216 |
/// | `max_batch_reports` | `DROVER_MAX_BATCH_REPORTS` | 500 |
/// | `max_long_poll_seconds` | `DROVER_MAX_LONG_POLL_SECONDS` | 60 |
/// | `alerting` | `DROVER_ALERTING_*` for its single values and one webhook (`AlertingConfiguration.applyingEnvironment`) | default rules, no receivers, no retrain policies (docs/alerts.md) |
struct ServeConfiguration: Sendable {
    var host = "127.0.0.1"
    var port = 8480
    var dataDirectory = "./drover-data"
    var logLevel = "info"
    var ingest = IngestConfiguration()
    var liveness = LivenessPolicy()
    var http = HTTPConfiguration()
    var maxLongPollSeconds = 60
    var alerting = AlertingConfiguration()

    /// The file's keys, all optional.
    struct File: Decodable {
        var listen: String?
        var dataDir: String?
        var logLevel: String?
        var reportRetentionDays: Double?
        var rollupRetentionDays: Double?
        var rollupBucketSeconds: Int?
        var staleAfterSeconds: Double?
        var lostAfterSeconds: Double?
        var maxBodyBytes: Int?
        var maxBatchBodyBytes: Int?
        var maxBatchReports: Int?
        var maxLongPollSeconds: Int?
        var alerting: AlertingConfiguration?

        enum CodingKeys: String, CodingKey {
            case listen, dataDir = "data_dir", logLevel = "log_level", reportRetentionDays = "report_retention_days"
            case rollupRetentionDays = "rollup_retention_days", rollupBucketSeconds = "rollup_bucket_seconds"
            case staleAfterSeconds = "stale_after_seconds"
            case lostAfterSeconds = "lost_after_seconds", maxBodyBytes = "max_body_bytes"
            case maxBatchBodyBytes = "max_batch_body_bytes", maxBatchReports = "max_batch_reports"
            case maxLongPollSeconds = "max_long_poll_seconds", alerting
        }
    }

    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    static func resolve(listen: String?, dataDir: String?, configFile: String?, environment: [String: String]) throws -> Self {
        var c = ServeConfiguration()
        var file = File()
        if let configFile {
            guard let data = FileManager.default.contents(atPath: configFile) else {
                throw Problem(description: "cannot read config file \(configFile); check the path")
            }
            do { file = try JSONDecoder().decode(File.self, from: data) } catch {
                throw Problem(description: "config file \(configFile) is not valid: \(error)")
            }
        }
        func pick<T>(_ flag: T?, _ env: String, _ fromFile: T?, parse: (String) -> T?) throws -> T? {
            if let flag { return flag }
            if let raw = environment[env] {
                guard let v = parse(raw) else { throw Problem(description: "\(env)=\(raw) is not valid") }
                return v
            }
            return fromFile
        }
        if let l = try pick(listen, "DROVER_LISTEN", file.listen, parse: { $0 }) {
            let parts = l.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let port = Int(parts[1]), (0...65535).contains(port), !parts[0].isEmpty else {
                throw Problem(description: "--listen must be HOST:PORT like 127.0.0.1:8480, got \(l)")
            }
            c.host = String(parts[0])
            c.port = port
        }
        c.dataDirectory = try pick(dataDir, "DROVER_DATA_DIR", file.dataDir, parse: { $0 }) ?? c.dataDirectory
        c.logLevel = try pick(nil, "DROVER_LOG_LEVEL", file.logLevel, parse: { $0 }) ?? c.logLevel
        if let d = try pick(nil, "DROVER_REPORT_RETENTION_DAYS", file.reportRetentionDays, parse: Double.init) { c.ingest.reportRetention = d * 86_400 }
        if let d = try pick(nil, "DROVER_ROLLUP_RETENTION_DAYS", file.rollupRetentionDays, parse: Double.init) { c.ingest.rollupRetention = d * 86_400 }
        if let n = try pick(nil, "DROVER_MAX_BATCH_REPORTS", file.maxBatchReports, parse: { Int($0) }) { c.ingest.maxBatchReports = n }
        if let n = try pick(nil, "DROVER_ROLLUP_BUCKET_SECONDS", file.rollupBucketSeconds, parse: { Int($0) }) {
            guard (1...3600).contains(n) else {
                throw Problem(description: "rollup_bucket_seconds must be 1…3600 (e.g. 10 or 60), got \(n)")
            }
            c.ingest.rollupBucketSeconds = n
        }
        let stale = try pick(nil, "DROVER_STALE_AFTER_SECONDS", file.staleAfterSeconds, parse: Double.init) ?? c.liveness.staleAfter
        let lost = try pick(nil, "DROVER_LOST_AFTER_SECONDS", file.lostAfterSeconds, parse: Double.init) ?? c.liveness.lostAfter
        c.liveness = LivenessPolicy(staleAfter: stale, lostAfter: lost)
        if let n = try pick(nil, "DROVER_MAX_BODY_BYTES", file.maxBodyBytes, parse: { Int($0) }) { c.http.maxBodyBytes = n }
        if let n = try pick(nil, "DROVER_MAX_BATCH_BODY_BYTES", file.maxBatchBodyBytes, parse: { Int($0) }) { c.http.maxBatchBodyBytes = n }
        if let n = try pick(nil, "DROVER_MAX_LONG_POLL_SECONDS", file.maxLongPollSeconds, parse: { Int($0) }) { c.maxLongPollSeconds = n }
        do {
            c.alerting = try (file.alerting ?? AlertingConfiguration()).applyingEnvironment(environment)
        } catch {
            throw Problem(description: "\(error)")
        }
        do { try c.alerting.validate() } catch {
            let source = configFile.map { "config file \($0), " } ?? ""
            throw Problem(description: "section alerting (\(source)DROVER_ALERTING_* variables): \(error)")
        }
        c.http.host = c.host
        c.http.port = c.port
        return c
    }
}
