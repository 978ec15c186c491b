import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension InMemoryControlPlaneStore {
    /// Stores new reports, merges rollups, records sightings.
    public func ingest(_ items: [IngestItem]) async throws -> Set<String> {
        state.withLock { s in
            var stored = Set<String>()
            for item in items where s.reports[item.report.id] == nil && !stored.contains(item.report.id) {
                s.reports[item.report.id] = item.report
                s.rollups[item.key, default: ReportRollup()].merge(item.rollup)
                stored.insert(item.report.id)
                if var agent = s.agents[item.report.agentID] {
                    Self.apply(
                        AgentSighting(agentID: agent.id, at: item.report.receivedAt, version: item.report.version), to: &agent)
                    s.agents[agent.id] = agent
                }
            }
            return stored
        }
    }

    /// An agent's reports.
    public func reports(agentID: String, from: Date, to: Date, limit: Int) async throws -> [StoredReport] {
        state.withLock { s in
            Array(
                s.reports.values
                    .filter { $0.agentID == agentID && $0.windowStart >= from && $0.windowStart < to }
                    .sorted { ($0.windowStart, $0.id) > ($1.windowStart, $1.id) }
                    .prefix(limit))
        }
    }

    /// Rollups matching a query.
    public func rollups(_ query: RollupQuery) async throws -> [RollupRow] {
        state.withLock { s in
            s.rollups.compactMap { key, rollup in
                guard query.model.map({ $0 == key.model }) ?? true, query.version.map({ $0 == key.version }) ?? true,
                    query.zone.map({ $0 == key.zone }) ?? true, key.bucketStart >= query.from, key.bucketStart < query.to
                else { return nil }
                return RollupRow(key: key, rollup: rollup)
            }
            .sorted { $0.key.bucketStart < $1.key.bucketStart }
        }
    }

    /// Deletes old reports.
    public func pruneReports(receivedBefore date: Date) async throws -> Int {
        state.withLock { s in
            let old = s.reports.values.filter { $0.receivedAt < date }.map(\.id)
            for id in old { s.reports[id] = nil }
            return old.count
        }
    }

    /// Deletes old rollups.
    public func pruneRollups(before date: Date) async throws -> Int {
        state.withLock { s in
            let old = s.rollups.keys.filter { $0.bucketStart < date }
            for key in old { s.rollups[key] = nil }
            return old.count
        }
    }
}
