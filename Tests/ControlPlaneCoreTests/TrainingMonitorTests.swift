import ControlPlaneCore
import DroverAPI
import DroverStats
import Foundation
import Logging
import Testing

@Suite("Training monitor")
struct TrainingMonitorTests {
    let t0 = Date(timeIntervalSince1970: 1_796_000_000)

    /// Healthy steps: slowly falling loss, gradient norms jittering around 1.
    func healthy(_ range: Range<Int>, run: String = "r1") -> [TrainingStep] {
        range.map { i in
            TrainingStep(runID: run, step: i, loss: 2.0 - Double(i) * 0.001, gradNorm: 1.0 + 0.05 * sin(Double(i)))
        }
    }

    func monitor(alerts: AlertEngine? = nil, store: InMemoryTrainingStore = InMemoryTrainingStore()) -> TrainingMonitor {
        TrainingMonitor(store: store, alerts: alerts, logger: Logger(label: "test"))
    }

    @Test("a NaN loss flags the run at that step, raises one alert and blocks promotion")
    func nanFlagsAndBlocks() async throws {
        let alertStore = InMemoryAlertStore()
        let engine = AlertEngine(store: alertStore, receivers: ["oncall"], logger: Logger(label: "test"))
        try await engine.start(at: t0)
        let monitor = monitor(alerts: engine)
        var health = try await monitor.ingest(runID: "r1", steps: healthy(0..<5), at: t0)
        #expect(health.status == .warmingUp)
        #expect(try await monitor.promotionBlocked(runID: "r1") == nil)
        health = try await monitor.ingest(runID: "r1", steps: [TrainingStep(runID: "r1", step: 5, loss: .nan, gradNorm: 1.2)], at: t0 + 60)
        #expect(health.status == .flagged)
        #expect(health.reason == "non_finite")
        #expect(health.flaggedStep == 5)
        #expect(health.flaggedAt == t0 + 60)
        let blocked = try #require(try await monitor.promotionBlocked(runID: "r1"))
        #expect(blocked.contains("r1") && blocked.contains("step 5") && blocked.contains("override"))
        // Later healthy steps do not clear the flag, and the alert is raised once.
        _ = try await monitor.ingest(runID: "r1", steps: healthy(6..<50), at: t0 + 120)
        #expect(try await monitor.health(runID: "r1")?.status == .flagged)
        let firing = try await alertStore.firingAlerts()
        #expect(firing.count == 1)
        #expect(firing.first?.rule == "TrainingRunUnhealthy")
        #expect(firing.first?.labels == ["run": "r1"])
        #expect(firing.first?.annotations["step"] == "5")
    }

    @Test("an infinite gradient norm in one layer flags the run and names the layer")
    func layerInfinity() async throws {
        let monitor = monitor()
        let step = TrainingStep(runID: "r2", step: 0, loss: 1, gradNorm: 1, layerNorms: ["encoder.3.attn": .infinity, "head": 0.5])
        let health = try await monitor.ingest(runID: "r2", steps: [step], at: t0)
        #expect(health.status == .flagged)
        #expect(health.detail?.contains("encoder.3.attn") == true)
    }

    @Test("a gradient explosion after a healthy baseline flags the run")
    func explosion() async throws {
        let monitor = monitor()
        _ = try await monitor.ingest(runID: "r3", steps: healthy(0..<100, run: "r3"), at: t0)
        #expect(try await monitor.health(runID: "r3")?.status == .healthy)
        let spike = TrainingStep(runID: "r3", step: 100, loss: 1.9, gradNorm: 500)
        let health = try await monitor.ingest(runID: "r3", steps: [spike], at: t0 + 1)
        #expect(health.status == .flagged)
        #expect(health.reason == "exploding")
        #expect(health.flaggedStep == 100)
        #expect(try await monitor.promotionBlocked(runID: "r3") != nil)
    }

    @Test("vanishing gradients flag the run once they persist")
    func vanishing() async throws {
        let monitor = monitor()
        _ = try await monitor.ingest(runID: "r4", steps: healthy(0..<30, run: "r4"), at: t0)
        let tiny = (30..<60).map { TrainingStep(runID: "r4", step: $0, loss: 1.97, gradNorm: 1e-9) }
        #expect(try await monitor.ingest(runID: "r4", steps: tiny, at: t0 + 1).status != .flagged)
        let more = (60..<90).map { TrainingStep(runID: "r4", step: $0, loss: 1.97, gradNorm: 1e-9) }
        let health = try await monitor.ingest(runID: "r4", steps: more, at: t0 + 2)
        #expect(health.status == .flagged)
        #expect(health.reason == "vanishing")
        #expect(health.flaggedStep == 79)  // the 50th consecutive tiny norm (default vanishing_steps = 50)
    }

    @Test("a healthy run does not block promotion, and neither does an unknown one")
    func healthyRunPromotes() async throws {
        let monitor = monitor()
        _ = try await monitor.ingest(runID: "r5", steps: healthy(0..<300, run: "r5"), at: t0)
        #expect(try await monitor.health(runID: "r5")?.status == .healthy)
        #expect(try await monitor.promotionBlocked(runID: "r5") == nil)
        #expect(try await monitor.promotionBlocked(runID: "never-posted") == nil)
    }

    @Test("re-posted steps are not counted twice and memory per run stays bounded")
    func idempotentAndBounded() async throws {
        let store = InMemoryTrainingStore()
        let monitor = TrainingMonitor(store: store, alerts: nil, recentCapacity: 64, logger: Logger(label: "test"))
        _ = try await monitor.ingest(runID: "r6", steps: healthy(0..<1000, run: "r6"), at: t0)
        let again = try await monitor.ingest(runID: "r6", steps: healthy(900..<1000, run: "r6"), at: t0 + 1)
        #expect(again.steps == 1000)
        #expect(again.lastStep == 999)
        let state = try #require(try await store.run(id: "r6"))
        #expect(state.recent.count == 64)
        #expect(state.recent.last?.step == 999)
    }

    @Test("the run state survives a restart, including the detector's baseline")
    func restart() async throws {
        let store = InMemoryTrainingStore()
        _ = try await monitor(store: store).ingest(runID: "r7", steps: healthy(0..<100, run: "r7"), at: t0)
        // Round-trip through JSON as a database would.
        let saved = try #require(try await store.run(id: "r7"))
        let data = try TrainingRunState.encoder().encode(saved)
        let decoded = try TrainingRunState.decoder().decode(TrainingRunState.self, from: data)
        #expect(decoded == saved)
        let fresh = InMemoryTrainingStore()
        try await fresh.saveRun(decoded)
        let health = try await monitor(store: fresh).ingest(runID: "r7", steps: [TrainingStep(runID: "r7", step: 100, loss: 1.9, gradNorm: 800)], at: t0 + 5)
        #expect(health.reason == "exploding")
    }

    @Test("bad posts name the field to fix", arguments: [
        ([TrainingStep(runID: "other", step: 1, loss: 1, gradNorm: 1)], "r1", "steps[0].run_id"),
        ([TrainingStep(runID: "r1", step: -1, loss: 1, gradNorm: 1)], "r1", "steps[0].step"),
        ([], "r1", "steps"),
        ([TrainingStep(runID: "", step: 1, loss: 1, gradNorm: 1)], "", "run_id"),
    ])
    func validation(steps: [TrainingStep], run: String, field: String) {
        #expect(throws: TrainingError.self) { try TrainingMonitor.validate(steps, runID: run) }
        do { try TrainingMonitor.validate(steps, runID: run) } catch { #expect(error.field == field) }
    }
}
