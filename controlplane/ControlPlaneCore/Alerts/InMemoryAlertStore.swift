import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An `AlertStore` in memory, for tests and for running without a database.
public actor InMemoryAlertStore: AlertStore {
    private struct OccurrenceKey: Hashable {
        var fingerprint: String
        var startsAt: Date
    }

    private var occurrences: [OccurrenceKey: Alert] = [:]
    private var queue: [String: AlertDelivery] = [:]
    private var order: [String] = []
    private var savedRules: [String: AlertRule] = [:]

    /// Creates an empty store.
    public init() {}

    /// Inserts or replaces the occurrence and enqueues new deliveries.
    public func record(_ alert: Alert, deliveries: [AlertDelivery]) async throws {
        occurrences[OccurrenceKey(fingerprint: alert.fingerprint, startsAt: alert.startsAt)] = alert
        for delivery in deliveries where queue[delivery.id] == nil {
            queue[delivery.id] = delivery
            order.append(delivery.id)
        }
    }

    /// Alerts, newest first.
    public func alerts(status: Alert.Status?, limit: Int) async throws -> [Alert] {
        Array(
            occurrences.values.filter { status == nil || $0.status == status }
                .sorted { ($0.startsAt, $0.fingerprint) > ($1.startsAt, $1.fingerprint) }
                .prefix(max(0, limit))
        )
    }

    /// Pending deliveries due by `dueBy`, in enqueue order.
    public func pendingDeliveries(dueBy: Date, limit: Int) async throws -> [AlertDelivery] {
        Array(
            order.compactMap { queue[$0] }.filter { $0.state == .pending && $0.nextAttemptAt <= dueBy }.prefix(max(0, limit))
        )
    }

    /// Saves delivery states.
    public func updateDeliveries(_ deliveries: [AlertDelivery]) async throws {
        for delivery in deliveries where queue[delivery.id] != nil { queue[delivery.id] = delivery }
    }

    /// All deliveries, newest first.
    public func deliveries(limit: Int) async throws -> [AlertDelivery] {
        Array(order.reversed().compactMap { queue[$0] }.prefix(max(0, limit)))
    }

    /// Operator-defined rules, by name.
    public func rules() async throws -> [AlertRule] {
        savedRules.values.sorted { $0.name < $1.name }
    }

    /// Adds or replaces a rule.
    public func saveRule(_ rule: AlertRule) async throws {
        savedRules[rule.name] = rule
    }

    /// Deletes a rule.
    public func deleteRule(named name: String) async throws -> Bool {
        savedRules.removeValue(forKey: name) != nil
    }
}
