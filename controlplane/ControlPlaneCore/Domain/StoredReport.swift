#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A report as stored: the indexed columns plus the raw JSON as received.
public struct StoredReport: Sendable, Equatable {
    /// The report id (dedupe key).
    public var id: String
    /// The reporting agent.
    public var agentID: String
    /// Model name.
    public var model: String
    /// Version served in the window.
    public var version: String
    /// The agent's zone when the report arrived.
    public var zone: String
    /// Window start.
    public var windowStart: Date
    /// Window end.
    public var windowEnd: Date
    /// When the control plane received it.
    public var receivedAt: Date
    /// The report's JSON, as received (or re-encoded from a batch).
    public var json: [UInt8]

    /// Creates a stored report.
    public init(
        id: String, agentID: String, model: String, version: String, zone: String, windowStart: Date, windowEnd: Date,
        receivedAt: Date, json: [UInt8]
    ) {
        self.id = id
        self.agentID = agentID
        self.model = model
        self.version = version
        self.zone = zone
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.receivedAt = receivedAt
        self.json = json
    }
}

/// One report ready for the store: the row plus its mergeable summary and rollup bucket.
public struct IngestItem: Sendable, Equatable {
    /// The row.
    public var report: StoredReport
    /// The rollup key the summary merges into.
    public var key: RollupKey
    /// The report's mergeable summary.
    public var rollup: ReportRollup

    /// Creates an ingest item.
    public init(report: StoredReport, key: RollupKey, rollup: ReportRollup) {
        self.report = report
        self.key = key
        self.rollup = rollup
    }
}

/// Identifies one rollup row: model × version × zone × time bucket.
public struct RollupKey: Sendable, Hashable {
    /// Model name.
    public var model: String
    /// Version.
    public var version: String
    /// Zone label ("" when none).
    public var zone: String
    /// Bucket start (window start floored to the bucket size).
    public var bucketStart: Date

    /// Creates a rollup key.
    public init(model: String, version: String, zone: String, bucketStart: Date) {
        self.model = model
        self.version = version
        self.zone = zone
        self.bucketStart = bucketStart
    }
}

/// A stored rollup row.
public struct RollupRow: Sendable, Equatable {
    /// Its key.
    public var key: RollupKey
    /// The merged summary.
    public var rollup: ReportRollup

    /// Creates a rollup row.
    public init(key: RollupKey, rollup: ReportRollup) {
        self.key = key
        self.rollup = rollup
    }
}

/// Selects rollup rows: model/version/zone filters (nil: any) and a bucket range `[from, to)`.
public struct RollupQuery: Sendable, Equatable {
    /// Model filter.
    public var model: String?
    /// Version filter.
    public var version: String?
    /// Zone filter.
    public var zone: String?
    /// Earliest bucket start (inclusive).
    public var from: Date
    /// Latest bucket start (exclusive).
    public var to: Date

    /// Creates a query.
    public init(model: String? = nil, version: String? = nil, zone: String? = nil, from: Date, to: Date) {
        self.model = model
        self.version = version
        self.zone = zone
        self.from = from
        self.to = to
    }
}
