#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Limits and retention for report ingest.
public struct IngestConfiguration: Sendable, Equatable {
    /// Most reports accepted in one batch (`DROVER_MAX_BATCH_REPORTS`, default 500).
    public var maxBatchReports: Int
    /// Rollup bucket size in seconds (default 60): fleet health is resolved to this.
    public var rollupBucketSeconds: Int
    /// How long raw reports are kept (`DROVER_REPORT_RETENTION`, default 7 days).
    public var reportRetention: TimeInterval
    /// How long rollups are kept (`DROVER_ROLLUP_RETENTION`, default 30 days).
    public var rollupRetention: TimeInterval
    /// How far in the future a window may end, tolerating agent clock skew (default 5 minutes).
    public var maxClockSkew: TimeInterval
    /// How long ingest reuses an agent's record (model, zone) before reading it again (default 60 s; 0 disables):
    /// a zone label change reaches rollups within this time.
    public var agentCacheSeconds: TimeInterval

    /// Creates a configuration.
    public init(
        maxBatchReports: Int = 500, rollupBucketSeconds: Int = 60, reportRetention: TimeInterval = 7 * 86_400,
        rollupRetention: TimeInterval = 30 * 86_400, maxClockSkew: TimeInterval = 300, agentCacheSeconds: TimeInterval = 60
    ) {
        self.agentCacheSeconds = agentCacheSeconds
        self.maxBatchReports = maxBatchReports
        self.rollupBucketSeconds = max(1, rollupBucketSeconds)
        self.reportRetention = reportRetention
        self.rollupRetention = rollupRetention
        self.maxClockSkew = maxClockSkew
    }

    /// The bucket a window starting at `date` falls in.
    public func bucket(of date: Date) -> Date {
        let size = Double(rollupBucketSeconds)
        return Date(timeIntervalSince1970: (date.timeIntervalSince1970 / size).rounded(.down) * size)
    }
}
