import ControlPlaneCore
import DroverAPI
import Logging
import Foundation
import Testing

/// Records requests and answers them from a script of responses (an error or a status per call; then 200).
actor ScriptedTransport: HTTPTransport {
    enum Step: Sendable {
        case fail
        case status(Int)
    }

    private var script: [Step]
    private(set) var requests: [TransportRequest] = []

    init(_ script: [Step] = []) { self.script = script }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        requests.append(request)
        let step = script.isEmpty ? .status(200) : script.removeFirst()
        switch step {
        case .fail: throw TransportError(kind: .connectionRefused, url: request.url, method: request.method)
        case .status(let code): return TransportResponse(status: code)
        }
    }
}

@Suite("Alert webhook notifier")
struct AlertWebhookNotifierTests {
    let t0 = Date(timeIntervalSince1970: 1_796_000_000)
    let receiver = WebhookReceiver(name: "oncall", url: "http://127.0.0.1:9/hook", bearerToken: "s3cret")

    func firingAlert(feature: String = "category") -> Alert {
        let labels = ["model": "ranker", "feature": feature]
        return Alert(
            fingerprint: AlertFingerprint.of(rule: "FeatureDrift", labels: labels), rule: "FeatureDrift", severity: "warning",
            status: .firing, labels: labels, annotations: ["summary": "drift on \(feature)", "zones": "eu-1"], startsAt: t0
        )
    }

    func notifier(_ store: InMemoryAlertStore, _ transport: ScriptedTransport, maxAttempts: Int = 5) -> WebhookNotifier<ContinuousClock> {
        WebhookNotifier(
            store: store, transport: transport, receivers: [receiver], externalURL: "http://drover.example:8480/",
            backoff: DeliveryBackoff(initialSeconds: 2, multiplier: 2, maximumSeconds: 60), maxAttempts: maxAttempts,
            clock: ContinuousClock(), logger: Logger(label: "test")
        )
    }

    @Test("the message has the Alertmanager webhook shape, version 4")
    func shape() async throws {
        let store = InMemoryAlertStore()
        let transport = ScriptedTransport()
        let alert = firingAlert()
        try await store.record(alert, deliveries: [AlertDelivery(receiver: "oncall", alert: alert, at: t0)])
        let round = try await notifier(store, transport).deliverDue(at: t0)
        #expect(round == .init(delivered: 1))
        let request = try #require(await transport.requests.first)
        #expect(request.method == .post)
        #expect(request.url == receiver.url)
        #expect(request.bearerToken == "s3cret")
        #expect(request.headers["Content-Type"] == "application/json")
        let body = try #require(request.body)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        #expect(json["version"] as? String == "4")
        #expect(json["status"] as? String == "firing")
        #expect(json["receiver"] as? String == "oncall")
        #expect(json["groupKey"] as? String == "{}:{alertname=\"FeatureDrift\", model=\"ranker\"}")
        #expect(json["groupLabels"] as? [String: String] == ["alertname": "FeatureDrift", "model": "ranker"])
        #expect(json["externalURL"] as? String == "http://drover.example:8480/")
        #expect((json["commonLabels"] as? [String: String])?["severity"] == "warning")
        #expect((json["commonAnnotations"] as? [String: String])?["zones"] == "eu-1")
        let alerts = try #require(json["alerts"] as? [[String: Any]])
        #expect(alerts.count == 1)
        let entry = alerts[0]
        #expect(Set(entry.keys) == ["status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint"])
        #expect(entry["startsAt"] as? String == RFC3339.format(t0))
        #expect(entry["endsAt"] as? String == "0001-01-01T00:00:00Z")
        #expect(entry["fingerprint"] as? String == alert.fingerprint)
        #expect(entry["generatorURL"] as? String == "http://drover.example:8480/v1/alerts?fingerprint=\(alert.fingerprint)")
        #expect((entry["labels"] as? [String: String])?["alertname"] == "FeatureDrift")
    }

    @Test("alerts of one rule and model go out in one message")
    func batching() async throws {
        let store = InMemoryAlertStore()
        let transport = ScriptedTransport()
        for feature in ["price", "category", "brand"] {
            let alert = firingAlert(feature: feature)
            try await store.record(alert, deliveries: [AlertDelivery(receiver: "oncall", alert: alert, at: t0)])
        }
        #expect(try await notifier(store, transport).deliverDue(at: t0) == .init(delivered: 3))
        #expect(await transport.requests.count == 1)
    }

    @Test("a failed delivery is retried after the backoff and then delivered")
    func retryAfterFailure() async throws {
        let store = InMemoryAlertStore()
        let transport = ScriptedTransport([.fail])
        let alert = firingAlert()
        try await store.record(alert, deliveries: [AlertDelivery(receiver: "oncall", alert: alert, at: t0)])
        let notifier = notifier(store, transport)
        #expect(try await notifier.deliverDue(at: t0) == .init(retried: 1))
        let pending = try #require(try await store.pendingDeliveries(dueBy: .distantFuture, limit: 10).first)
        #expect(pending.attempts == 1)
        #expect(pending.nextAttemptAt == t0 + 2)
        #expect(pending.lastError?.contains("connection refused") == true)
        #expect(try await notifier.deliverDue(at: t0 + 1) == .init())
        #expect(try await notifier.deliverDue(at: t0 + 2) == .init(delivered: 1))
        #expect(await transport.requests.count == 2)
        let done = try #require(try await store.deliveries(limit: 10).first)
        #expect(done.state == .delivered && done.attempts == 2 && done.deliveredAt == t0 + 2)
    }

    @Test("backoff doubles and is capped")
    func backoff() {
        let backoff = DeliveryBackoff(initialSeconds: 2, multiplier: 2, maximumSeconds: 60)
        #expect((1...7).map { backoff.delay(afterAttempts: $0) } == [2, 4, 8, 16, 32, 60, 60])
    }

    @Test("a delivery is given up after the maximum number of attempts")
    func givesUp() async throws {
        let store = InMemoryAlertStore()
        let transport = ScriptedTransport([.status(503), .status(503), .status(503)])
        let alert = firingAlert()
        try await store.record(alert, deliveries: [AlertDelivery(receiver: "oncall", alert: alert, at: t0)])
        let notifier = notifier(store, transport, maxAttempts: 3)
        #expect(try await notifier.deliverDue(at: t0).retried == 1)
        #expect(try await notifier.deliverDue(at: t0 + 100).retried == 1)
        #expect(try await notifier.deliverDue(at: t0 + 200).failed == 1)
        #expect(try await store.deliveries(limit: 1).first?.state == .failed)
    }

    @Test("a 4xx from the receiver is not retried")
    func clientErrorIsPermanent() async throws {
        let store = InMemoryAlertStore()
        let alert = firingAlert()
        try await store.record(alert, deliveries: [AlertDelivery(receiver: "oncall", alert: alert, at: t0)])
        #expect(try await notifier(store, ScriptedTransport([.status(401)])).deliverDue(at: t0).failed == 1)
    }

    @Test("pending deliveries survive a restart of the notifier")
    func durable() async throws {
        let store = InMemoryAlertStore()
        let alert = firingAlert()
        try await store.record(alert, deliveries: [AlertDelivery(receiver: "oncall", alert: alert, at: t0)])
        _ = try await notifier(store, ScriptedTransport([.fail])).deliverDue(at: t0)
        let fresh = ScriptedTransport()
        #expect(try await notifier(store, fresh).deliverDue(at: t0 + 5) == .init(delivered: 1))
        #expect(await fresh.requests.count == 1)
    }

    @Test("a firing and its resolution pending together are sent as one entry with the latest state")
    func latestStateWins() throws {
        let firing = firingAlert()
        var resolved = firing
        resolved.status = .resolved
        resolved.endsAt = t0 + 60
        let payload = WebhookNotifier<ContinuousClock>.payload(
            receiver: "oncall",
            deliveries: [AlertDelivery(receiver: "oncall", alert: firing, at: t0), AlertDelivery(receiver: "oncall", alert: resolved, at: t0 + 60)],
            externalURL: "http://x"
        )
        #expect(payload.status == "resolved")
        #expect(payload.alerts.count == 1)
        #expect(payload.alerts[0].endsAt == RFC3339.format(t0 + 60))
    }
}

@Suite("Alert engine")
struct AlertEngineTests {
    let t0 = Date(timeIntervalSince1970: 1_796_000_000)

    @Test("a firing alert is stored and queued once per receiver, and not again while it fires")
    func firesAndQueues() async throws {
        let store = InMemoryAlertStore()
        let engine = AlertEngine(store: store, receivers: ["oncall", "chat"], logger: Logger(label: "test"))
        try await engine.start(at: t0)
        let lost = AlertObservation.agentLost(model: "ranker", agent: "node-a/ranker-0", zone: "eu-1", lastSeen: t0 - 300)
        try await engine.evaluate([lost], at: t0)
        try await engine.evaluate([lost], at: t0 + 30)
        #expect(try await store.firingAlerts().count == 1)
        #expect(try await store.deliveries(limit: 10).count == 2)
        try await engine.evaluate([], at: t0 + 1000)
        #expect(try await store.firingAlerts().isEmpty)
        #expect(try await store.deliveries(limit: 10).count == 4)
    }

    @Test("after a restart the engine adopts firing alerts instead of raising them again")
    func restart() async throws {
        let store = InMemoryAlertStore()
        let lost = AlertObservation.agentLost(model: "ranker", agent: "a", zone: nil, lastSeen: nil)
        let first = AlertEngine(store: store, receivers: ["oncall"], logger: Logger(label: "test"))
        try await first.start(at: t0)
        try await first.evaluate([lost], at: t0)
        let second = AlertEngine(store: store, receivers: ["oncall"], logger: Logger(label: "test"))
        try await second.start(at: t0 + 60)
        let actions = try await second.evaluate([lost], at: t0 + 60)
        #expect(actions.isEmpty)
        #expect(try await store.deliveries(limit: 10).count == 1)
    }

    @Test("stored rules override configured ones by name and can be deleted")
    func rules() async throws {
        let store = InMemoryAlertStore()
        let engine = AlertEngine(store: store, receivers: [], logger: Logger(label: "test"))
        try await engine.start(at: t0)
        try await engine.saveRule(AlertRule(name: "FeatureDrift", metric: "psi", op: .ge, threshold: 0.3, forSeconds: 60), at: t0)
        try await engine.saveRule(AlertRule(name: "CTRDrop", metric: "ctr", op: .lt, threshold: 0.02), at: t0)
        let rules = await engine.rules
        #expect(rules.first { $0.name == "FeatureDrift" }?.threshold == 0.3)
        #expect(rules.last?.name == "CTRDrop")
        try await engine.deleteRule(named: "CTRDrop", at: t0)
        #expect(await engine.rules.count == AlertRule.defaultRules.count)
        await #expect(throws: AlertError.self) { try await engine.deleteRule(named: "CTRDrop", at: t0) }
        await #expect(throws: AlertError.self) {
            try await engine.saveRule(AlertRule(name: "", metric: "psi", op: .ge, threshold: 1), at: t0)
        }
    }

    @Test("alerts raised from outside the rules are deduplicated and resolvable")
    func external() async throws {
        let store = InMemoryAlertStore()
        let engine = AlertEngine(store: store, receivers: ["oncall"], logger: Logger(label: "test"))
        try await engine.start(at: t0)
        let labels = ["run": "r1"]
        #expect(try await engine.raise(rule: "TrainingRunUnhealthy", severity: "critical", labels: labels, annotations: [:], at: t0) != nil)
        #expect(try await engine.raise(rule: "TrainingRunUnhealthy", severity: "critical", labels: labels, annotations: [:], at: t0 + 1) == nil)
        // A later evaluation round does not resolve alerts it does not own.
        try await engine.evaluate([], at: t0 + 5000)
        #expect(try await store.firingAlerts().count == 1)
        #expect(try await engine.resolve(rule: "TrainingRunUnhealthy", labels: labels, reason: "override", at: t0 + 10) != nil)
        #expect(try await store.firingAlerts().isEmpty)
    }
}
