import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Persistence for alerts, their pending webhook deliveries and operator-defined rules.
///
/// An alert occurrence is identified by its fingerprint and `startsAt` (the same condition firing again
/// later is a new occurrence). Deliveries are durable so a restart never loses a notification.
public protocol AlertStore: Sendable {
    /// Inserts or replaces the occurrence of `alert` and enqueues `deliveries` (ids already present are kept), atomically.
    func record(_ alert: Alert, deliveries: [AlertDelivery]) async throws
    /// Alerts, newest first, optionally only those with `status`, at most `limit`.
    func alerts(status: Alert.Status?, limit: Int) async throws -> [Alert]
    /// Pending deliveries due at or before `dueBy`, oldest first, at most `limit`.
    func pendingDeliveries(dueBy: Date, limit: Int) async throws -> [AlertDelivery]
    /// Saves new states of deliveries (attempts, next attempt, delivered, failed).
    func updateDeliveries(_ deliveries: [AlertDelivery]) async throws
    /// Deliveries in any state, newest first, at most `limit` (for operators and tests).
    func deliveries(limit: Int) async throws -> [AlertDelivery]
    /// Operator-defined rules, by name.
    func rules() async throws -> [AlertRule]
    /// Adds or replaces the rule with the same name.
    func saveRule(_ rule: AlertRule) async throws
    /// Deletes a rule; returns whether it existed.
    func deleteRule(named name: String) async throws -> Bool
}

extension AlertStore {
    /// Alerts firing now.
    public func firingAlerts() async throws -> [Alert] {
        try await alerts(status: .firing, limit: Int.max)
    }
}
