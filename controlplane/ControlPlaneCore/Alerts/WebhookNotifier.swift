import DroverAPI
import Logging
import Metrics
import ServiceLifecycle

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Delivers pending alert notifications from the store to webhook receivers, with retries and exponential backoff.
///
/// Pending deliveries live in the `AlertStore`, so a restart resumes them. Each round takes the due deliveries,
/// batches them per receiver and group (`alertname`, `model`) into one Alertmanager-shaped message, and posts it.
/// A 2xx marks them delivered; a transport error, 5xx, 408 or 429 schedules a retry; other 4xx and running out
/// of attempts mark them failed. Counts `drover_alert_deliveries_total{result="delivered|retry|failed"}`.
public struct WebhookNotifier<C: Clock>: Service where C.Duration == Duration {
    /// What one round did.
    public struct Round: Sendable, Equatable {
        /// Deliveries acknowledged by their receiver.
        public var delivered = 0
        /// Deliveries scheduled for another attempt.
        public var retried = 0
        /// Deliveries given up.
        public var failed = 0

        /// Creates a tally.
        public init(delivered: Int = 0, retried: Int = 0, failed: Int = 0) {
            self.delivered = delivered
            self.retried = retried
            self.failed = failed
        }
    }

    private let store: any AlertStore
    private let transport: any HTTPTransport
    private let receivers: [String: WebhookReceiver]
    private let externalURL: String
    private let backoff: DeliveryBackoff
    private let maxAttempts: Int
    private let pollInterval: Duration
    private let batchLimit: Int
    private let clock: C
    private let wallClock: WallClock
    private let logger: Logger
    private let deliveredCounter: Counter
    private let retryCounter: Counter
    private let failedCounter: Counter

    /// Creates a notifier.
    /// - Parameters:
    ///   - externalURL: the control plane's URL as people reach it (for `externalURL` and `generatorURL`).
    ///   - maxAttempts: attempts before a delivery is given up (default 12: about 30 minutes with the default backoff).
    ///   - pollInterval: how often the store is checked for due deliveries.
    ///   - wallClock: wall-clock time for timestamps (fixed in tests).
    public init(
        store: any AlertStore, transport: any HTTPTransport, receivers: [WebhookReceiver], externalURL: String,
        backoff: DeliveryBackoff = .init(), maxAttempts: Int = 12, pollInterval: Duration = .seconds(1), batchLimit: Int = 500,
        clock: C, wallClock: WallClock = .system, logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.store = store
        self.transport = transport
        self.receivers = Dictionary(receivers.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        self.externalURL = externalURL
        self.backoff = backoff
        self.maxAttempts = max(1, maxAttempts)
        self.pollInterval = pollInterval
        self.batchLimit = batchLimit
        self.clock = clock
        self.wallClock = wallClock
        self.logger = logger
        let label = "drover_alert_deliveries_total"
        deliveredCounter = Counter(label: label, dimensions: [("result", "delivered")], factory: metricsFactory)
        retryCounter = Counter(label: label, dimensions: [("result", "retry")], factory: metricsFactory)
        failedCounter = Counter(label: label, dimensions: [("result", "failed")], factory: metricsFactory)
    }

    /// Delivers until cancelled or the service group shuts down gracefully.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    _ = try await deliverDue(at: wallClock.now())
                } catch {
                    logger.error("alert delivery round failed", metadata: ["error": "\(error)"])
                }
                try? await clock.sleep(for: pollInterval)
            }
        }
    }

    /// Runs one round: sends every delivery due at `now` and records the outcomes.
    public func deliverDue(at now: Date) async throws -> Round {
        let due = try await store.pendingDeliveries(dueBy: now, limit: batchLimit)
        var round = Round()
        for batch in Self.batches(due) {
            let outcome = await send(batch)
            var updated: [AlertDelivery] = []
            for var delivery in batch.deliveries {
                delivery.attempts += 1
                switch outcome {
                case .success:
                    delivery.state = .delivered
                    delivery.deliveredAt = now
                    delivery.lastError = nil
                    round.delivered += 1
                    deliveredCounter.increment()
                case .retry(let message) where delivery.attempts < maxAttempts:
                    delivery.lastError = message
                    delivery.nextAttemptAt = now.addingTimeInterval(backoff.delay(afterAttempts: delivery.attempts))
                    round.retried += 1
                    retryCounter.increment()
                case .retry(let message), .permanent(let message):
                    delivery.state = .failed
                    delivery.lastError = message
                    round.failed += 1
                    failedCounter.increment()
                }
                updated.append(delivery)
            }
            try await store.updateDeliveries(updated)
            switch outcome {
            case .success:
                logger.debug("alert notification delivered", metadata: ["receiver": "\(batch.receiver)", "alerts": "\(batch.deliveries.count)"])
            case .retry(let message), .permanent(let message):
                logger.warning(
                    "alert notification failed",
                    metadata: ["receiver": "\(batch.receiver)", "alerts": "\(batch.deliveries.count)", "error": "\(message)"]
                )
            }
        }
        return round
    }

    /// Builds the message a batch of deliveries is sent as (one entry per fingerprint, latest state wins).
    public static func payload(receiver: String, deliveries: [AlertDelivery], externalURL: String) -> AlertmanagerWebhookPayload {
        var latest: [String: Alert] = [:]
        var order: [String] = []
        for delivery in deliveries {
            if latest[delivery.alert.fingerprint] == nil { order.append(delivery.alert.fingerprint) }
            latest[delivery.alert.fingerprint] = delivery.alert
        }
        return AlertmanagerWebhookPayload(receiver: receiver, alerts: order.compactMap { latest[$0] }, externalURL: externalURL)
    }

    private enum Outcome {
        case success
        case retry(String)
        case permanent(String)
    }

    private struct Batch {
        var receiver: String
        var deliveries: [AlertDelivery]
    }

    private static func batches(_ deliveries: [AlertDelivery]) -> [Batch] {
        var index: [String: Int] = [:]
        var batches: [Batch] = []
        for delivery in deliveries {
            let key = delivery.receiver + "\u{0}" + AlertmanagerWebhookPayload.groupKey(of: delivery.alert)
            if let i = index[key] {
                batches[i].deliveries.append(delivery)
            } else {
                index[key] = batches.count
                batches.append(Batch(receiver: delivery.receiver, deliveries: [delivery]))
            }
        }
        return batches
    }

    private func send(_ batch: Batch) async -> Outcome {
        guard let receiver = receivers[batch.receiver] else {
            return .permanent("receiver \"\(batch.receiver)\" is no longer configured; add it back to deliver these alerts")
        }
        let payload = Self.payload(receiver: receiver.name, deliveries: batch.deliveries, externalURL: externalURL)
        do {
            var headers = TransportHeaders(receiver.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            headers.set("Content-Type", "application/json")
            var request = TransportRequest(
                method: .post, url: receiver.url, headers: headers, body: try DroverJSON.encode(payload),
                timeout: .milliseconds(Int64(receiver.timeoutSeconds * 1000))
            )
            request.bearerToken = receiver.bearerToken
            let response = try await transport.send(request)
            if response.isSuccess { return .success }
            let message = "HTTP \(response.status) from \(receiver.url)"
            if response.status >= 500 || response.status == 408 || response.status == 429 { return .retry(message) }
            return .permanent(message + "; the receiver refused the message, check its URL and credentials")
        } catch {
            return .retry("\(error)")
        }
    }
}
