import ControlPlaneCore
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Merged rollups held in memory between flushes, so that an ingest batch neither re-reads, re-decodes nor
/// re-encodes them: each new report is merged in place into its key's rollup, and dirty rollups are written to the
/// table once per `RollupFlushPolicy` (every 500 ms or 2,000 reports by default) instead of once per batch.
///
/// Why not per batch: at low rates a group-commit batch holds one report, and re-encoding a whole rollup (20
/// features of drift counts) with JSONEncoder for it cost a quarter of the server's CPU (docs/benchmarks.md).
///
/// Crash safety: reports carry an increasing `seq`; a flush writes the dirty rollups and `rollup_watermark.seq`
/// (the last report merged) in the same transaction as a batch, so the table plus the reports above the watermark
/// always give every rollup. Opening the store replays those reports (see `SQLiteControlPlaneStore+Rollups`).
///
/// Only the writer mutates the buffer, from inside GRDB write transactions (which GRDB runs one at a time);
/// readers take snapshots. The state is guarded by a `Mutex`. Every rollup in memory holds at least what its
/// table row holds, so readers prefer it over the row; a failed transaction may leave merges in memory that were
/// rolled back, so the writer then calls `invalidate()` and the next transaction rebuilds from the table.
/// One store instance per database file is assumed (as for any in-process cache of the table).
final class RollupBuffer: Sendable {
    struct State: Sendable {
        /// Merged rollup per key: its table row plus every report merged since (a subset of the keys).
        var rollups: [RollupKey: ReportRollup] = [:]
        /// Keys whose rollup is newer than their table row.
        var dirty: Set<RollupKey> = []
        /// The `seq` of the next new report.
        var nextSeq: Int64 = 1
        /// The `seq` of the last report merged into `rollups`.
        var mergedSeq: Int64 = 0
        /// Reports merged since the last flush.
        var pendingReports = 0
        /// When the last flush happened.
        var lastFlush: ContinuousClock.Instant
        /// False after a failed write: memory may be ahead of the database until it is rebuilt.
        var valid = false
    }

    /// Dirty rollups to write and the watermark that goes with them.
    struct Flush {
        var rollups: [(key: RollupKey, rollup: ReportRollup)]
        var seq: Int64
    }

    private let state: Mutex<State>
    /// When batches flush.
    let policy: RollupFlushPolicy
    /// Clean rollups are dropped at a flush once more than this many keys are held.
    let capacity: Int

    /// Creates a buffer that needs a rebuild (`reset`) before the first write.
    init(policy: RollupFlushPolicy, capacity: Int = 4096) {
        self.policy = policy
        self.capacity = capacity
        state = Mutex(State(lastFlush: .now))
    }

    /// Whether the next write transaction must first rebuild from the table and the reports above the watermark.
    var needsRebuild: Bool { state.withLock { !$0.valid } }

    /// The `seq` of the next new report.
    var nextSeq: Int64 { state.withLock { $0.nextSeq } }

    /// After a rebuild: memory empty, the table current up to `mergedSeq`, new reports numbered from `nextSeq`.
    func reset(nextSeq: Int64, mergedSeq: Int64) {
        state.withLock { s in
            s.rollups.removeAll()
            s.dirty.removeAll()
            s.nextSeq = nextSeq
            s.mergedSeq = mergedSeq
            s.pendingReports = 0
            s.lastFlush = .now
            s.valid = true
        }
    }

    /// Drops everything after a failed write; the next write transaction rebuilds.
    func invalidate() {
        state.withLock { s in
            s.rollups.removeAll()
            s.dirty.removeAll()
            s.valid = false
        }
    }

    /// The distinct keys among `keys` that have no rollup in memory (their table rows must be loaded first).
    func missingKeys(_ keys: some Sequence<RollupKey>) -> [RollupKey] {
        state.withLock { s in
            var seen = Set<RollupKey>()
            var missing: [RollupKey] = []
            for key in keys where s.rollups[key] == nil && seen.insert(key).inserted { missing.append(key) }
            return missing
        }
    }

    /// Merges new reports in place: `loaded` are table rows of keys missing from memory, `items` the new reports
    /// in `seq` order, the last of which has `lastSeq`.
    func merge(loaded: [RollupKey: ReportRollup], items: some Sequence<IngestItem>, lastSeq: Int64) {
        state.withLock { s in
            for (key, rollup) in loaded where s.rollups[key] == nil { s.rollups[key] = rollup }
            var count = 0
            for item in items {
                s.rollups[item.key, default: ReportRollup()].merge(item.rollup)
                s.dirty.insert(item.key)
                count += 1
            }
            s.pendingReports += count
            s.mergedSeq = max(s.mergedSeq, lastSeq)
            s.nextSeq = max(s.nextSeq, lastSeq + 1)
        }
    }

    /// The dirty rollups to write now (all of them when `force`, else only when the policy says so), or nil.
    ///
    /// Clean rollups beyond `capacity` are dropped first: they were written by an earlier, committed flush.
    func flush(force: Bool, now: ContinuousClock.Instant = .now) -> Flush? {
        state.withLock { s in
            guard force || s.pendingReports >= policy.maxPendingReports || now - s.lastFlush >= policy.interval
                || s.dirty.count > capacity
            else { return nil }
            if s.rollups.count > capacity {
                s.rollups = s.rollups.filter { s.dirty.contains($0.key) }
            }
            guard !s.dirty.isEmpty else {
                s.pendingReports = 0
                s.lastFlush = now
                return force ? Flush(rollups: [], seq: s.mergedSeq) : nil
            }
            var out: [(key: RollupKey, rollup: ReportRollup)] = []
            out.reserveCapacity(s.dirty.count)
            for key in s.dirty { if let rollup = s.rollups[key] { out.append((key, rollup)) } }
            return Flush(rollups: out, seq: s.mergedSeq)
        }
    }

    /// Marks a flush's rollups as written (the transaction writing them is about to commit).
    func flushed(_ flush: Flush, now: ContinuousClock.Instant = .now) {
        state.withLock { s in
            for entry in flush.rollups { s.dirty.remove(entry.key) }
            s.pendingReports = 0
            s.lastFlush = now
        }
    }

    /// Forgets rollups of buckets before `date` (their rows are being deleted; they were flushed just before).
    func removeBuckets(before date: Date) {
        state.withLock { s in
            s.rollups = s.rollups.filter { $0.key.bucketStart >= date }
            s.dirty = s.dirty.filter { $0.bucketStart >= date }
        }
    }

    /// The rollups in memory that match `query` (each at least as new as its table row).
    func rollups(matching query: RollupQuery) -> [RollupKey: ReportRollup] {
        state.withLock { s in
            guard s.valid else { return [:] }
            return s.rollups.filter { key, _ in
                key.bucketStart >= query.from && key.bucketStart < query.to
                    && (query.model.map { $0 == key.model } ?? true)
                    && (query.version.map { $0 == key.version } ?? true) && (query.zone.map { $0 == key.zone } ?? true)
            }
        }
    }
}
