/// When the SQLite store writes merged rollups from memory back to the `report_rollups` table.
///
/// Between flushes the merged rollups live in memory (reads see them); a crash loses nothing, because the reports
/// written since the last flush are replayed into the table when the store opens.
public struct RollupFlushPolicy: Sendable, Equatable {
    /// The longest time merged rollups stay in memory only, checked at each ingest batch (default 500 ms).
    public var interval: Duration
    /// Reports merged since the last flush after which a batch flushes whatever the time (default 2,000),
    /// which also bounds the reports replayed on open.
    public var maxPendingReports: Int

    /// Creates a policy.
    public init(interval: Duration = .milliseconds(500), maxPendingReports: Int = 2_000) {
        self.interval = interval
        self.maxPendingReports = maxPendingReports
    }

    /// Every batch writes its rollups (the table is always current; the slowest setting).
    public static let everyBatch = RollupFlushPolicy(interval: .zero, maxPendingReports: 1)

    /// Only `flushRollups()`, pruning and reopening write rollups (for tests that simulate a crash).
    public static let manual = RollupFlushPolicy(interval: .seconds(1_000_000_000), maxPendingReports: .max)
}
