import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One alert state change (firing or resolved) to deliver to one webhook receiver; kept in the store until done.
public struct AlertDelivery: Sendable, Equatable, Codable {
    /// Where a delivery stands.
    public enum State: String, Sendable, Codable, CaseIterable {
        /// Not delivered yet; retried at `nextAttemptAt`.
        case pending
        /// The receiver acknowledged it with a 2xx.
        case delivered
        /// Gave up after the maximum number of attempts.
        case failed
    }

    /// Deterministic id: receiver, fingerprint, status and start time (enqueuing twice is a no-op).
    public var id: String
    /// The receiver's name (from the configuration).
    public var receiver: String
    /// The alert as it was when the state changed.
    public var alert: Alert
    /// Where the delivery stands.
    public var state: State
    /// Attempts made so far.
    public var attempts: Int
    /// When the next attempt is due.
    public var nextAttemptAt: Date
    /// When it was enqueued.
    public var createdAt: Date
    /// The last failure, for operators.
    public var lastError: String?
    /// When the receiver acknowledged it.
    public var deliveredAt: Date?

    /// Creates a pending delivery due at `at`.
    public init(receiver: String, alert: Alert, at: Date) {
        self.id = Self.id(receiver: receiver, alert: alert)
        self.receiver = receiver
        self.alert = alert
        self.state = .pending
        self.attempts = 0
        self.nextAttemptAt = at
        self.createdAt = at
        self.lastError = nil
        self.deliveredAt = nil
    }

    /// The deterministic id of the delivery of `alert`'s current status to `receiver`.
    public static func id(receiver: String, alert: Alert) -> String {
        let millis = Int64((alert.startsAt.timeIntervalSince1970 * 1000).rounded())
        return "\(receiver)/\(alert.fingerprint)/\(millis)/\(alert.status.rawValue)"
    }

    enum CodingKeys: String, CodingKey {
        case id, receiver, alert, state, attempts, nextAttemptAt = "next_attempt_at", createdAt = "created_at"
        case lastError = "last_error", deliveredAt = "delivered_at"
    }
}
