import Synchronization

extension InMemoryControlPlaneStore {
    /// Appends to the audit log.
    public func appendAudit(_ entry: AuditEntry) async throws {
        state.withLock { s in
            var entry = entry
            entry.sequence = Int64(s.audit.count + 1)
            s.audit.append(entry)
        }
    }

    /// Reads the audit log, newest first.
    public func audit(after: Int64, limit: Int) async throws -> [AuditEntry] {
        state.withLock { s in Array(s.audit.reversed().filter { $0.sequence > after }.prefix(limit)) }
    }
}
