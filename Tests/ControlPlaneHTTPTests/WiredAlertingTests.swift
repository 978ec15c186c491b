import ControlPlaneCore
import ControlPlaneHTTP
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

/// The control plane as `drover-controlplane serve` wires it: a SQLite file, alerting over SQLite stores with a libcurl
/// transport, and `buildApplication(…, alerting:)`, so the evaluation, delivery and retrain loops run in its service group.
struct WiredServer {
    let directory: TemporaryDirectory
    let controlPlane: ControlPlane
    let alerting: Alerting
    let http = HTTPConfiguration(host: "127.0.0.1", port: 0)
    let tokens: [Role: String]

    /// `validate: false` lets a test use windows shorter than operators may configure (e.g. 1 s retrain windows).
    init(configuration: AlertingConfiguration, validate: Bool = true) async throws {
        directory = try TemporaryDirectory()
        let store = try SQLiteControlPlaneStore(dataDirectory: directory.path)
        controlPlane = ControlPlane(store: store)
        if validate { try configuration.validate() }
        alerting = Alerting(
            configuration: configuration, alertStore: SQLiteAlertStore(pool: store.pool), retrainStore: SQLiteRetrainStore(pool: store.pool),
            trainingStore: SQLiteTrainingStore(pool: store.pool), transport: try CurlTransport(), logger: Logger(label: "test"))
        var tokens: [Role: String] = [:]
        for role in [Role.admin, .operator, .viewer, .enroll] {
            tokens[role] = try await controlPlane.tokens.create(role: role, name: role.rawValue, by: .system).secret
        }
        self.tokens = tokens
    }

    func app() -> some ApplicationProtocol {
        buildApplication(configuration: http, controlPlane: controlPlane, alerting: alerting, logger: Logger(label: "test"))
    }

    func token(_ role: Role) -> String { tokens[role]! }

    /// Enrols an agent through the core and returns its credential.
    func enrollAgent(_ id: String = Fixtures.agentID, zone: String = "eu-1") async throws -> String {
        let enroll = try await controlPlane.tokens.authenticate(tokens[.enroll]!)
        return try await controlPlane.agents.enroll(EnrollRequest(agentID: id, model: Fixtures.model, labels: ["zone": zone]), by: enroll).token
    }
}

/// A local webhook receiver (its own Hummingbird app on 127.0.0.1) that answers 503 to the first `failFirst` posts.
struct WebhookSink {
    let log: ReceiverLog

    init(failFirst: Int) { log = ReceiverLog(failFirst: failFirst) }

    func app() -> some ApplicationProtocol {
        let router = Router()
        let log = self.log
        router.post("hook") { request, _ -> Response in
            var buffer = try await request.body.collect(upTo: 1 << 20)
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            return Response(status: log.record(bytes) ? .serviceUnavailable : .ok)
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: Logger(label: "receiver"))
    }
}

/// Polls `condition` every 200 ms until it holds; gives up after `seconds` (a generous "does not hang" bound).
func eventually(within seconds: Double = 60, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(200))
    }
    return try await condition()
}

/// A report window that ended just now, so the fleet-health range of the running loops sees it.
func recentReport(index: Int, events: [IncidentEvent] = [], driftedFeatures: Int = 0, profileDigest: String? = nil) -> Report {
    let end = Date()
    let start = end.addingTimeInterval(-5)
    var report = Fixtures.report(id: Fixtures.reportID(index, at: start), start: start, windowSeconds: 5, events: events)
    // Every value of the first `driftedFeatures` numeric features in the top bin: a PSI far above any threshold.
    if driftedFeatures > 0, var drift = report.drift {
        if let profileDigest { drift.referenceProfile = profileDigest }
        var shifted = 0
        for i in drift.features.indices where drift.features[i].kind == .numeric && shifted < driftedFeatures {
            var bins = Array(repeating: 0, count: Fixtures.numericEdges.count + 1)
            bins[bins.count - 1] = drift.features[i].n
            drift.features[i].counts = .bins(bins)
            shifted += 1
        }
        report.drift = drift
    }
    return report
}

@Suite("Alerting wired into the served control plane (real HTTP, SQLite file)")
struct WiredAlertingTests {
    @Test("the running evaluation loop raises a failover alert that GET /v1/alerts lists and a webhook receives after one retry")
    func alertRaisedListedAndDelivered() async throws {
        let sink = WebhookSink(failFirst: 1)
        try await sink.app().test(.live) { receiver in
            let hookPort = try #require(receiver.port)
            let config = AlertingConfiguration(
                receivers: [WebhookReceiver(name: "oncall", url: "http://127.0.0.1:\(hookPort)/hook", timeoutSeconds: 5)],
                evaluationIntervalSeconds: 1, backoffInitialSeconds: 1, backoffMaxSeconds: 5)
            let server = try await WiredServer(configuration: config)
            defer { server.directory.cleanup() }
            let agentToken = try await server.enrollAgent()
            try await server.app().test(.live) { client in
                let failover = IncidentEvent(at: Date(), kind: IncidentEvent.failover, from: "7", to: "6", reason: "5 consecutive probe failures")
                try await client.execute(uri: "/v1/reports", method: .post, headers: auth(agentToken), body: try body(recentReport(index: 1, events: [failover]))) {
                    #expect($0.status == .ok || $0.status == .created || $0.status == .accepted)
                }
                // The evaluation loop (every second) sees the failover in fleet health and fires at once.
                func firing() async throws -> [Alert] {
                    try await client.execute(uri: "/v1/alerts?status=firing", method: .get, headers: auth(server.token(.viewer))) { response in
                        try decode(AlertListBody.self, response).alerts.filter { $0.rule == "FailoverHappened" }
                    }
                }
                let fired = try await eventually { try await !firing().isEmpty }
                #expect(fired, "no FailoverHappened alert within 60 s")
                let alert = try #require(try await firing().first)
                #expect(alert.labels["model"] == Fixtures.model)
                #expect(alert.annotations["zones"] == "eu-1")
                // The notifier's first attempt gets a 503, the retry (1 s later) is accepted.
                let delivered = try await eventually { sink.log.accepted.count >= 1 }
                #expect(delivered, "the webhook receiver got nothing within 60 s")
                #expect(sink.log.attempts >= 2)
                let payload = try JSONDecoder().decode(AlertmanagerWebhookPayload.self, from: Data(try #require(sink.log.accepted.first)))
                #expect(payload.receiver == "oncall")
                #expect(payload.alerts.contains { $0.labels["alertname"] == "FailoverHappened" && $0.fingerprint == alert.fingerprint })
                func deliveries() async throws -> [AlertDeliveryView] {
                    try await client.execute(uri: "/v1/alerts/deliveries", method: .get, headers: auth(server.token(.viewer))) { response in
                        try decode(AlertDeliveryListBody.self, response).deliveries
                    }
                }
                _ = try await eventually { try await deliveries().contains { $0.state == "delivered" } }
                let sent = try #require(try await deliveries().first { $0.alert.fingerprint == alert.fingerprint })
                #expect(sent.state == "delivered" && sent.attempts == 2 && sent.receiver == "oncall")
            }
        }
    }

    @Test("a NaN step flags the run: its version cannot become stable (409 naming training_run_id) until an audited override")
    func flaggedRunBlocksPromotion() async throws {
        let server = try await WiredServer(configuration: AlertingConfiguration())
        defer { server.directory.cleanup() }
        try await server.app().test(.live) { client in
            let op = auth(server.token(.operator))
            var steps = (0..<5).map { Fixtures.trainingStep(runID: "ranker-nan", step: $0) }
            steps.append(TrainingStep(runID: "ranker-nan", step: 5, loss: .nan, gradNorm: 3.1))
            try await client.execute(uri: "/v1/training/runs/ranker-nan/steps", method: .post, headers: op, body: try body(steps)) { response in
                #expect(response.status == .ok)
                let health = try decode(TrainingHealthView.self, response)
                #expect(health.status == "flagged")
            }
            for (version, run) in [("8", "ranker-nan"), ("9", "never-posted")] {
                let dto = Fixtures.modelVersion(version: version, trainingRunID: run)
                try await client.execute(uri: "/v1/versions", method: .post, headers: op, body: try body(dto)) { #expect($0.status == .created) }
            }
            // Refused, with the field and the reason.
            try await client.execute(uri: "/v1/models/ranker/versions/8/aliases/stable", method: .put, headers: op) { response in
                #expect(response.status == .conflict)
                let error = try apiError(response)
                #expect(error.field == "training_run_id")
                #expect(error.message.contains("ranker-nan") && error.message.lowercased().contains("nan"))
            }
            // Other aliases, and versions of runs that never posted steps, are not blocked.
            try await client.execute(uri: "/v1/models/ranker/versions/8/aliases/candidate", method: .put, headers: op) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/models/ranker/versions/9/aliases/stable", method: .put, headers: op) { #expect($0.status == .ok) }
            // A viewer may not override; `{"override": false}` is still refused.
            try await client.execute(
                uri: "/v1/models/ranker/versions/8/aliases/stable", method: .put, headers: auth(server.token(.viewer)),
                body: ByteBuffer(string: #"{"override": true}"#)
            ) { #expect($0.status == .forbidden) }
            try await client.execute(
                uri: "/v1/models/ranker/versions/8/aliases/stable", method: .put, headers: op, body: ByteBuffer(string: #"{"override": false}"#)
            ) { #expect($0.status == .conflict) }
            // The explicit override works and is audited.
            try await client.execute(
                uri: "/v1/models/ranker/versions/8/aliases/stable", method: .put, headers: op, body: ByteBuffer(string: #"{"override": true}"#)
            ) { response in
                #expect(response.status == .ok)
                let version = try decode(ModelVersion.self, response)
                #expect(version.aliases.contains("stable"))
            }
            try await client.execute(uri: "/v1/training/runs/ranker-nan", method: .get, headers: auth(server.token(.viewer))) { response in
                let detail = try decode(TrainingDetailView.self, response)
                #expect(detail.promotionBlocked != nil)
            }
            let audit = try await client.execute(uri: "/v1/audit?limit=100", method: .get, headers: auth(server.token(.admin))) { response in
                try decode(AuditListBody.self, response).entries
            }
            let entry = try #require(audit.first { $0.action == "version.alias" && $0.detail["override"] != nil })
            #expect(entry.target == "ranker/8")
            #expect(entry.detail["training_run_id"] == "ranker-nan")
            #expect(entry.detail["alias"] == "stable")
            #expect(entry.actor.contains("operator"))
        }
    }

    @Test("sustained drift fires one retrain request per cooldown; the retrained version completes it")
    func retrainOncePerCooldown() async throws {
        let sink = WebhookSink(failFirst: 0)
        try await sink.app().test(.live) { receiver in
            let hookPort = try #require(receiver.port)
            let policy = RetrainPolicy(
                model: Fixtures.model, minDriftedFeatures: 2, psiThreshold: 0.2, consecutiveWindows: 1, cooldownSeconds: 3600,
                target: .webhook(.init(url: "http://127.0.0.1:\(hookPort)/hook", timeoutSeconds: 5)))
            // 1 s retrain windows (operators may not go below 10 s) so the loop runs several windows in a few seconds.
            let window = 1.0
            let server = try await WiredServer(
                configuration: AlertingConfiguration(retrainPolicies: [policy], retrainWindowSeconds: window, minDriftSamples: 100),
                validate: false)
            defer { server.directory.cleanup() }
            let agentToken = try await server.enrollAgent()
            try await server.app().test(.live) { client in
                let op = auth(server.token(.operator))
                try await client.execute(uri: "/v1/versions", method: .post, headers: op, body: try body(Fixtures.modelVersion())) {
                    #expect($0.status == .created)
                }
                // The drift counts are merged over the profile the reports name: the stored one.
                let digest = try await client.execute(
                    uri: "/v1/models/ranker/versions/\(Fixtures.version)/profile", method: .put, headers: op,
                    body: try body(Fixtures.referenceProfile())
                ) { response in
                    #expect(response.status == .ok)
                    return try decode(DigestView.self, response).digest
                }
                // Drifted reports keep arriving (four per window) while the retrain loop looks at 1 s windows.
                var index = 0
                func postDrifted() async throws {
                    index += 1
                    try await client.execute(
                        uri: "/v1/reports", method: .post, headers: auth(agentToken), body: try body(recentReport(index: index, driftedFeatures: 3, profileDigest: digest))
                    ) { #expect($0.status.code < 300) }
                }
                var requests: [RetrainRequest] = []
                func listRequests() async throws -> [RetrainRequest] {
                    try await client.execute(uri: "/v1/retraining?model=ranker", method: .get, headers: auth(server.token(.viewer))) { response in
                        try decode(RetrainRequestListBody.self, response).requests
                    }
                }
                let fired = try await eventually(within: 90) {
                    try await postDrifted()
                    try await Task.sleep(for: .milliseconds(250))
                    requests = try await listRequests()
                    return !requests.isEmpty && sink.log.accepted.count >= 1
                }
                #expect(fired, "no retrain request within 90 s")
                let first = try #require(requests.first)
                #expect(first.evidence.features.count >= 2)
                // Two more drifted windows (> 2 windows): the cooldown holds, nothing new is requested or sent.
                let calm = ContinuousClock.now + .milliseconds(Int64(2.2 * window * 1000))
                while ContinuousClock.now < calm {
                    try await postDrifted()
                    try await Task.sleep(for: .milliseconds(250))
                }
                requests = try await listRequests()
                #expect(requests.count == 1)
                #expect(sink.log.accepted.count == 1)
                let sent = try DroverJSON.decode(RetrainRequest.self, from: try #require(sink.log.accepted.first))
                #expect(sent.id == first.id)
                // The retrained version closes the loop.
                let retrained = Fixtures.modelVersion(
                    version: "8", lineage: Lineage(derivedFrom: Fixtures.version, method: .retrain, parameters: ["retrain_request": first.id]))
                try await client.execute(uri: "/v1/versions", method: .post, headers: op, body: try body(retrained)) { #expect($0.status == .created) }
                try await client.execute(uri: "/v1/retraining/\(first.id)", method: .get, headers: auth(server.token(.viewer))) { response in
                    let request = try decode(RetrainRequest.self, response)
                    #expect(request.state == .completed)
                    #expect(request.resultVersion == "8")
                }
                // Nothing is in flight now, so only the cooldown holds back a second request over more drifted windows.
                let cooling = ContinuousClock.now + .milliseconds(Int64(2.2 * window * 1000))
                while ContinuousClock.now < cooling {
                    try await postDrifted()
                    try await Task.sleep(for: .milliseconds(250))
                }
                #expect(try await listRequests().count == 1, "a second retrain request inside the 1 h cooldown")
                #expect(sink.log.accepted.count == 1)
            }
        }
    }
}

/// `GET /v1/alerts/deliveries` as a client reads it.
struct AlertDeliveryListBody: Decodable {
    var deliveries: [AlertDeliveryView]
}

/// One delivery as a client reads it.
struct AlertDeliveryView: Decodable {
    var receiver: String
    var alert: Alert
    var state: String
    var attempts: Int
}

/// `{"digest": …}` of a profile upload.
struct DigestView: Decodable {
    var digest: String
}

/// `GET /v1/audit` as a client reads it.
struct AuditListBody: Decodable {
    var entries: [AuditEntryView]
}

/// One audit entry as a client reads it.
struct AuditEntryView: Decodable {
    var action: String
    var actor: String
    var target: String
    var detail: [String: String]
}

/// `GET /v1/retraining` as a client reads it.
struct RetrainRequestListBody: Decodable {
    var requests: [RetrainRequest]
}

/// A training run's health as a client reads it.
struct TrainingHealthView: Decodable {
    var status: String
}

/// `GET /v1/training/runs/{run}` as a client reads it.
struct TrainingDetailView: Decodable {
    var promotionBlocked: String?

    enum CodingKeys: String, CodingKey { case promotionBlocked = "promotion_blocked" }
}
