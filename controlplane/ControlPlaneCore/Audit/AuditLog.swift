/// Reads the audit log (writes happen in each service, next to the change they record).
public struct AuditLog: Sendable {
    let store: any AuditStore

    /// Creates the reader.
    public init(store: any AuditStore) { self.store = store }

    /// Entries newer than `after`, newest first (at most `limit`, capped at 1,000).
    public func entries(after: Int64 = 0, limit: Int = 100, by principal: Principal) async throws -> [AuditEntry] {
        try principal.require(.auditRead)
        guard limit > 0 else { throw ControlPlaneError.invalidField("limit", "must be positive") }
        return try await store.audit(after: after, limit: min(limit, 1000))
    }
}
