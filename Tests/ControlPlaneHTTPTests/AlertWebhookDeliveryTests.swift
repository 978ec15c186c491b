import ControlPlaneCore
import ControlPlaneSQLite
import CurlTransport
import DroverAPI
import DroverTestKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// What a local webhook receiver saw: a failure is answered to the first `failFirst` posts.
final class ReceiverLog: Sendable {
    private let state = Mutex<(count: Int, bodies: [[UInt8]])>((0, []))
    let failFirst: Int

    init(failFirst: Int) { self.failFirst = failFirst }

    /// Records a post; returns whether to answer it with a failure.
    func record(_ body: [UInt8]) -> Bool {
        state.withLock { s in
            s.count += 1
            if s.count <= failFirst { return true }
            s.bodies.append(body)
            return false
        }
    }

    var attempts: Int { state.withLock { $0.count } }
    var accepted: [[UInt8]] { state.withLock { $0.bodies } }
}

@Suite("Alert webhook delivery over real HTTP")
struct AlertWebhookDeliveryTests {
    @Test("a firing alert reaches a local webhook receiver after one failed attempt, from a SQLite-backed queue")
    func deliveryWithRetry() async throws {
        let log = ReceiverLog(failFirst: 1)
        let router = Router()
        router.post("hook") { request, _ -> Response in
            var buffer = try await request.body.collect(upTo: 1 << 20)
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            return Response(status: log.record(bytes) ? .serviceUnavailable : .ok)
        }
        let receiverApp = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: Logger(label: "receiver"))
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let t0 = Date(timeIntervalSince1970: 1_796_000_000)
        try await receiverApp.test(.live) { client in
            let port = try #require(client.port)
            let receiver = WebhookReceiver(name: "oncall", url: "http://127.0.0.1:\(port)/hook", timeoutSeconds: 5)
            let sqlite = try SQLiteControlPlaneStore(dataDirectory: dir.path)
            let store = SQLiteAlertStore(pool: sqlite.pool)
            let engine = AlertEngine(store: store, receivers: ["oncall"], logger: Logger(label: "test"))
            try await engine.start(at: t0)
            let observation = AlertObservation.failover(
                model: "ranker", agent: "node-a/ranker-0", zone: "eu-1", count: 1, from: "7", to: "6",
                reason: "5 consecutive probe failures", at: t0)
            try await engine.evaluate([observation], at: t0)
            let notifier = WebhookNotifier(
                store: store, transport: try CurlTransport(), receivers: [receiver], externalURL: "http://127.0.0.1:8480",
                backoff: DeliveryBackoff(initialSeconds: 2), clock: ContinuousClock(), logger: Logger(label: "test"))
            #expect(try await notifier.deliverDue(at: t0) == .init(retried: 1))
            #expect(log.attempts == 1)
            // The queue is durable: a notifier over a re-opened store delivers it when the backoff is over.
            let reopened = SQLiteAlertStore(pool: try SQLiteControlPlaneStore(dataDirectory: dir.path).pool)
            let second = WebhookNotifier(
                store: reopened, transport: try CurlTransport(), receivers: [receiver], externalURL: "http://127.0.0.1:8480",
                clock: ContinuousClock(), logger: Logger(label: "test"))
            #expect(try await second.deliverDue(at: t0 + 1) == .init())
            #expect(try await second.deliverDue(at: t0 + 2) == .init(delivered: 1))
            #expect(log.attempts == 2)
            let body = try #require(log.accepted.first)
            let payload = try JSONDecoder().decode(AlertmanagerWebhookPayload.self, from: Data(body))
            #expect(payload.version == "4")
            #expect(payload.status == "firing")
            #expect(payload.receiver == "oncall")
            #expect(payload.alerts.first?.labels["alertname"] == "FailoverHappened")
            #expect(payload.alerts.first?.annotations["failover_reason"] == "5 consecutive probe failures")
            let delivered = try #require(try await reopened.deliveries(limit: 1).first)
            #expect(delivered.state == .delivered && delivered.attempts == 2)
        }
    }
}
