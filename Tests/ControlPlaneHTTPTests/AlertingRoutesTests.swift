import ControlPlaneCore
import ControlPlaneHTTP
import DroverAPI
import DroverTestKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The harness's router plus the alerting routes over in-memory alerting stores.
struct AlertingHarness {
    let base: HTTPHarness
    let alerting: Alerting
    let clock: WallClock

    init(now: Date = Date(timeIntervalSince1970: 1_796_000_000)) async throws {
        base = try await HTTPHarness()
        clock = .fixed(now)
        alerting = Alerting.inMemory(transport: ClosureTransport { _ in TransportResponse(status: 200) }, logger: Logger(label: "test"))
    }

    func app() -> some ApplicationProtocol {
        let router = buildRouter(configuration: base.http, controlPlane: base.controlPlane)
        router.addAlertingRoutes(controlPlane: base.controlPlane, alerting: alerting, http: base.http, clock: clock)
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: Logger(label: "test"))
    }

    func token(_ role: Role) -> String { base.tokens[role]! }
}

@Suite("Alerting routes")
struct AlertingRoutesTests {
    @Test("viewers list alerts, filtered by status; unauthenticated callers get 401")
    func listAlerts() async throws {
        let h = try await AlertingHarness()
        try await h.alerting.engine.start(at: h.clock.now())
        try await h.alerting.engine.evaluate(
            [.agentLost(model: "ranker", agent: "node-a/ranker-0", zone: "eu-1", lastSeen: nil)], at: h.clock.now())
        try await h.app().test(.router) { client in
            try await client.execute(uri: "/v1/alerts?status=firing", method: .get, headers: auth(h.token(.viewer))) { response in
                #expect(response.status == .ok)
                let list = try decode(AlertListBody.self, response)
                #expect(list.alerts.map(\.rule) == ["AgentLost"])
                #expect(list.alerts.first?.annotations["agents"] == "node-a/ranker-0")
            }
            try await client.execute(uri: "/v1/alerts?status=resolved", method: .get, headers: auth(h.token(.viewer))) { response in
                let checked = try decode(AlertListBody.self, response).alerts.isEmpty
                #expect(checked)
            }
            try await client.execute(uri: "/v1/alerts?status=maybe", method: .get, headers: auth(h.token(.viewer))) { response in
                #expect(response.status == .badRequest)
                let checked = try apiError(response).field == "status"
                #expect(checked)
            }
            try await client.execute(uri: "/v1/alerts", method: .get, headers: auth(nil)) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test("operators add and delete rules; viewers may not; bad rules name the field")
    func rules() async throws {
        let h = try await AlertingHarness()
        try await h.alerting.engine.start(at: h.clock.now())
        let rule = AlertRule(name: "CTRDrop", metric: "ctr", model: "ranker", op: .lt, threshold: 0.02, forSeconds: 600)
        try await h.app().test(.router) { client in
            try await client.execute(uri: "/v1/alerts/rules", method: .post, headers: auth(h.token(.viewer)), body: try body(rule)) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/v1/alerts/rules", method: .post, headers: auth(h.token(.operator)), body: try body(rule)) { response in
                #expect(response.status == .created)
            }
            var bad = rule
            bad.severity = "page"
            try await client.execute(uri: "/v1/alerts/rules", method: .post, headers: auth(h.token(.operator)), body: try body(bad)) { response in
                #expect(response.status == .badRequest)
                let checked = try apiError(response).field == "severity"
                #expect(checked)
            }
            try await client.execute(uri: "/v1/alerts/rules", method: .get, headers: auth(h.token(.viewer))) { response in
                let rules = try decode(AlertRuleListBody.self, response).rules
                #expect(rules.contains(rule))
                #expect(rules.count == AlertRule.defaultRules.count + 1)
            }
            try await client.execute(uri: "/v1/alerts/rules/CTRDrop", method: .delete, headers: auth(h.token(.operator))) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/v1/alerts/rules/CTRDrop", method: .delete, headers: auth(h.token(.operator))) { response in
                #expect(response.status == .notFound)
            }
        }
        let audit = try await h.base.controlPlane.store.audit(after: 0, limit: 10)
        #expect(audit.map(\.action).contains("alert_rule.save"))
    }

    @Test("a NaN step posted by a trainer flags the run and the run shows why promotion is blocked")
    func trainingSteps() async throws {
        let h = try await AlertingHarness()
        try await h.alerting.engine.start(at: h.clock.now())
        let steps = (0..<10).map { TrainingStep(runID: "r1", step: $0, loss: 2 - Double($0) * 0.01, gradNorm: 1) }
        let nan = #"{"schema_version":1,"run_id":"r1","step":10,"loss":"NaN","grad_norm":1.5}"#
        try await h.app().test(.router) { client in
            try await client.execute(uri: "/v1/training/runs/r1/steps", method: .post, headers: auth(h.token(.viewer)), body: try body(steps)) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/v1/training/runs/r1/steps", method: .post, headers: auth(h.token(.operator)), body: try body(steps)) { response in
                #expect(response.status == .ok)
                let checked = try decode(TrainingRunHealth.self, response).steps == 10
                #expect(checked)
            }
            try await client.execute(uri: "/v1/training/runs/r1/steps", method: .post, headers: auth(h.token(.operator)), body: ByteBuffer(string: nan)) { response in
                #expect(response.status == .ok)
                let health = try decode(TrainingRunHealth.self, response)
                #expect(health.status == .flagged)
                #expect(health.flaggedStep == 10)
            }
            try await client.execute(uri: "/v1/training/runs/r1", method: .get, headers: auth(h.token(.viewer))) { response in
                #expect(response.status == .ok)
                let detail = try decode(TrainingRunDetailBody.self, response)
                #expect(detail.health.reason == "non_finite")
                #expect(detail.promotionBlocked?.contains("r1") == true)
                #expect(detail.recentSteps.count == 11)
                #expect(detail.recentSteps.last?.loss.value.isNaN == true)
            }
            try await client.execute(uri: "/v1/training/runs/r9", method: .get, headers: auth(h.token(.viewer))) { response in
                #expect(response.status == .notFound)
            }
            let wrongRun = [TrainingStep(runID: "other", step: 1, loss: 1, gradNorm: 1)]
            try await client.execute(uri: "/v1/training/runs/r1/steps", method: .post, headers: auth(h.token(.operator)), body: try body(wrongRun)) { response in
                #expect(response.status == .badRequest)
                let checked = try apiError(response).field == "steps[0].run_id"
                #expect(checked)
            }
        }
        let firingRules = try await h.alerting.alertStore.firingAlerts().map(\.rule) == ["TrainingRunUnhealthy"]
        #expect(firingRules)
        let blocked = try await h.alerting.promotionGuard.promotionBlocked(runID: "r1") != nil
        #expect(blocked)
    }

    @Test("an enrolled agent may post training steps with its own credential")
    func agentPostsSteps() async throws {
        let h = try await AlertingHarness()
        let agentToken = try await h.base.enrollAgent()
        try await h.app().test(.router) { client in
            let step = TrainingStep(runID: "r2", step: 0, loss: 1, gradNorm: 1)
            try await client.execute(uri: "/v1/training/runs/r2/steps", method: .post, headers: auth(agentToken), body: try body(step)) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("retrain requests are listed with their evidence")
    func retraining() async throws {
        let h = try await AlertingHarness()
        let t0 = h.clock.now()
        let evidence = RetrainEvidence(
            model: "ranker", reasons: ["drift"], since: t0, until: t0 + 900, windows: 3,
            features: [.init(name: "price", psi: 0.4, maxPSI: 0.41, windows: 3)], versions: ["11"], zones: ["eu-1"],
            validation: nil, psiThreshold: 0.2, minDriftedFeatures: 1)
        let request = RetrainRequest(id: "rt-ranker-1", model: "ranker", target: "webhook", evidence: evidence, createdAt: t0)
        try await h.alerting.retrainStore.saveRequest(request)
        try await h.app().test(.router) { client in
            try await client.execute(uri: "/v1/retraining?model=ranker", method: .get, headers: auth(h.token(.viewer))) { response in
                #expect(response.status == .ok)
                let checked = try decode(RetrainListBody.self, response).requests == [request]
                #expect(checked)
            }
            try await client.execute(uri: "/v1/retraining/rt-ranker-1", method: .get, headers: auth(h.token(.viewer))) { response in
                let checked = try decode(RetrainRequest.self, response) == request
                #expect(checked)
            }
            try await client.execute(uri: "/v1/retraining/nope", method: .get, headers: auth(h.token(.viewer))) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}

struct AlertListBody: Decodable { var alerts: [Alert] }
struct AlertRuleListBody: Decodable { var rules: [AlertRule] }
struct RetrainListBody: Decodable { var requests: [RetrainRequest] }
struct TrainingRunDetailBody: Decodable {
    var health: TrainingRunHealth
    var promotionBlocked: String?
    var recentSteps: [TrainingStep]

    enum CodingKeys: String, CodingKey {
        case health, promotionBlocked = "promotion_blocked", recentSteps = "recent_steps"
    }
}
