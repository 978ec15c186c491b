import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Agents recently looked up by report ingest, so a report does not cost a store read for its agent.
///
/// Entries live `ttl` seconds: a label change (zone) reaches rollups within that time, and a report whose model
/// differs from the cached record is checked against the store again before it is refused. The map is guarded
/// by a `Mutex`; at `capacity` entries expired ones are dropped, then everything if still full.
final class AgentCache: Sendable {
    private let ttl: TimeInterval
    private let capacity: Int
    private let entries = Mutex<[String: (record: AgentRecord, expires: Date)]>([:])

    /// Creates a cache; a `ttl` of zero or less disables it.
    init(ttl: TimeInterval, capacity: Int = 200_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    /// The cached record of `id`, unless absent or expired.
    func record(_ id: String, now: Date) -> AgentRecord? {
        guard ttl > 0 else { return nil }
        return entries.withLock { map in
            guard let entry = map[id], entry.expires > now else { return nil }
            return entry.record
        }
    }

    /// Remembers `record` until `now + ttl`.
    func store(_ record: AgentRecord, now: Date) {
        guard ttl > 0 else { return }
        entries.withLock { map in
            if map.count >= capacity {
                map = map.filter { $0.value.expires > now }
                if map.count >= capacity { map.removeAll(keepingCapacity: true) }
            }
            map[record.id] = (record, now.addingTimeInterval(ttl))
        }
    }
}
