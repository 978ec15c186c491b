import ControlPlaneCore
import ControlPlaneSQLite
import DroverAPI
import DroverTestKit
import Foundation
import Logging
import Testing

@Suite("Alerting stores on SQLite")
struct AlertingSQLiteStoreTests {
    let t0 = Date(timeIntervalSince1970: 1_796_000_000.123456)

    func alert(_ status: Alert.Status = .firing) -> Alert {
        Alert(
            fingerprint: AlertFingerprint.of(rule: "FeatureDrift", labels: ["model": "ranker", "feature": "price"]), rule: "FeatureDrift",
            severity: "warning", status: status, labels: ["model": "ranker", "feature": "price"], annotations: ["zones": "eu-1"],
            startsAt: t0, endsAt: status == .resolved ? t0 + 600 : nil)
    }

    @Test("alerts, deliveries and rules survive re-opening the file, and a resolution updates its occurrence")
    func alertStore() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        do {
            let store = SQLiteAlertStore(pool: try SQLiteControlPlaneStore(dataDirectory: dir.path).pool)
            let firing = alert()
            try await store.record(firing, deliveries: [AlertDelivery(receiver: "oncall", alert: firing, at: t0)])
            try await store.record(firing, deliveries: [AlertDelivery(receiver: "oncall", alert: firing, at: t0)])  // idempotent
            try await store.saveRule(AlertRule(name: "CTRDrop", metric: "ctr", op: .lt, threshold: 0.02))
        }
        let store = SQLiteAlertStore(pool: try SQLiteControlPlaneStore(dataDirectory: dir.path).pool)
        #expect(try await store.firingAlerts() == [alert()])
        #expect(try await store.pendingDeliveries(dueBy: t0, limit: 10).count == 1)
        #expect(try await store.rules().map(\.name) == ["CTRDrop"])
        // Restored alerts resolve onto the same occurrence, not a new row.
        var restored = try #require(try await store.firingAlerts().first)
        restored.status = .resolved
        restored.endsAt = t0 + 600
        try await store.record(restored, deliveries: [AlertDelivery(receiver: "oncall", alert: restored, at: t0 + 600)])
        #expect(try await store.alerts(status: nil, limit: 10).count == 1)
        #expect(try await store.firingAlerts().isEmpty)
        var delivery = try #require(try await store.pendingDeliveries(dueBy: t0 + 600, limit: 10).first)
        delivery.state = .delivered
        delivery.attempts = 1
        try await store.updateDeliveries([delivery])
        #expect(try await store.pendingDeliveries(dueBy: .distantFuture, limit: 10).count == 1)
        #expect(try await store.deleteRule(named: "CTRDrop"))
        #expect(try await !store.deleteRule(named: "CTRDrop"))
    }

    @Test("retrain requests and training runs (with NaN in their steps) survive re-opening the file")
    func retrainAndTraining() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let evidence = RetrainEvidence(
            model: "ranker", reasons: ["drift"], since: t0, until: t0 + 900, windows: 3,
            features: [.init(name: "price", psi: 0.4, maxPSI: 0.41, windows: 3)], versions: ["11"], zones: ["eu-1"],
            validation: nil, psiThreshold: 0.2, minDriftedFeatures: 1)
        var request = RetrainRequest(id: "rt-ranker-1", model: "ranker", target: "webhook", evidence: evidence, createdAt: t0)
        do {
            let pool = try SQLiteControlPlaneStore(dataDirectory: dir.path).pool
            try await SQLiteRetrainStore(pool: pool).saveRequest(request)
            request.state = .dispatched
            request.outcome = "HTTP 202"
            try await SQLiteRetrainStore(pool: pool).saveRequest(request)
            let monitor = TrainingMonitor(store: SQLiteTrainingStore(pool: pool), alerts: nil, logger: Logger(label: "test"))
            let steps = (0..<30).map { TrainingStep(runID: "r1", step: $0, loss: 2, gradNorm: 1) }
            _ = try await monitor.ingest(runID: "r1", steps: steps, at: t0)
            _ = try await monitor.ingest(runID: "r1", steps: [TrainingStep(runID: "r1", step: 30, loss: .nan, gradNorm: .infinity)], at: t0 + 1)
        }
        let pool = try SQLiteControlPlaneStore(dataDirectory: dir.path).pool
        #expect(try await SQLiteRetrainStore(pool: pool).requests(model: "ranker", limit: 10) == [request])
        #expect(try await SQLiteRetrainStore(pool: pool).request(id: "rt-ranker-1")?.outcome == "HTTP 202")
        let monitor = TrainingMonitor(store: SQLiteTrainingStore(pool: pool), alerts: nil, logger: Logger(label: "test"))
        let blocked = try await monitor.promotionBlocked(runID: "r1")
        #expect(blocked?.contains("step 30") == true)
        let state = try #require(try await monitor.run(runID: "r1"))
        #expect(state.recent.last?.loss.value.isNaN == true)
        #expect(try await SQLiteTrainingStore(pool: pool).runs(limit: 5).map(\.runID) == ["r1"])
    }
}
