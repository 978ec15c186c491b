import ControlPlaneCore
import DroverAPI
import Foundation
import Logging
import Testing

@Suite("Retrain trigger")
struct RetrainTriggerTests {
    let t0 = Date(timeIntervalSince1970: 1_796_000_000)
    let policy = RetrainPolicy(
        model: "ranker", minDriftedFeatures: 2, psiThreshold: 0.2, validationMetric: "ndcg_at_10", validationFloor: 0.6,
        consecutiveWindows: 3, cooldownSeconds: 3600, target: .webhook(.init(url: "http://127.0.0.1:9/retrain"))
    )

    func window(_ index: Int, psi: [String: Double], ndcg: Double = 0.7, version: String = "11", zone: String = "eu-1") -> RetrainWindow {
        RetrainWindow(
            model: "ranker", start: t0 + Double(index * 300), end: t0 + Double((index + 1) * 300), featurePSI: psi,
            validation: ["ndcg_at_10": ndcg], versions: [version], zones: [zone]
        )
    }

    let drifted = ["price": 0.31, "category": 0.25, "brand": 0.05]

    func fired(_ actions: [RetrainTrigger.Action]) -> RetrainRequest? {
        for action in actions { if case .fire(let request, _) = action { return request } }
        return nil
    }

    @Test("sustained drift on K features fires after N windows, not before, with the evidence")
    func firesAfterNWindows() throws {
        var trigger = RetrainTrigger(policies: [policy])
        #expect(fired(trigger.handle(.window(window(0, psi: drifted)))) == nil)
        #expect(fired(trigger.handle(.window(window(1, psi: drifted, version: "12", zone: "us-2")))) == nil)
        let request = try #require(fired(trigger.handle(.window(window(2, psi: ["price": 0.4, "category": 0.22])))))
        #expect(request.state == .pending)
        #expect(request.model == "ranker")
        #expect(request.target == "webhook")
        let evidence = request.evidence
        #expect(evidence.reasons == ["drift"])
        #expect(evidence.windows == 3)
        #expect(evidence.since == t0)
        #expect(evidence.until == t0 + 900)
        #expect(evidence.features.map(\.name) == ["price", "category"])
        #expect(evidence.features[0] == .init(name: "price", psi: 0.4, maxPSI: 0.4, windows: 3))
        #expect(evidence.versions == ["11", "12"])
        #expect(evidence.zones == ["eu-1", "us-2"])
        #expect(evidence.validation?.values == [0.7, 0.7, 0.7])
    }

    @Test("one clean window restarts the count")
    func cleanWindowResets() {
        var trigger = RetrainTrigger(policies: [policy])
        _ = trigger.handle(.window(window(0, psi: drifted)))
        _ = trigger.handle(.window(window(1, psi: drifted)))
        _ = trigger.handle(.window(window(2, psi: ["price": 0.3])))  // one feature only: K = 2
        #expect(trigger.streakLength(model: "ranker") == 0)
        #expect(fired(trigger.handle(.window(window(3, psi: drifted)))) == nil)
        #expect(fired(trigger.handle(.window(window(4, psi: drifted)))) == nil)
        #expect(fired(trigger.handle(.window(window(5, psi: drifted)))) != nil)
    }

    @Test("validation below the floor for N windows fires without drift")
    func validationDecay() throws {
        var trigger = RetrainTrigger(policies: [policy])
        for i in 0..<2 { #expect(fired(trigger.handle(.window(window(i, psi: [:], ndcg: 0.55)))) == nil) }
        let request = try #require(fired(trigger.handle(.window(window(2, psi: [:], ndcg: 0.52)))))
        #expect(request.evidence.reasons == ["validation_decay"])
        #expect(request.evidence.validation == .init(metric: "ndcg_at_10", floor: 0.6, values: [0.55, 0.55, 0.52]))
    }

    @Test("at most one request is in flight, and the cooldown holds back the next one")
    func inFlightAndCooldown() throws {
        var trigger = RetrainTrigger(policies: [policy])
        var i = 0
        func streak(_ n: Int) -> [RetrainTrigger.Action] {
            var actions: [RetrainTrigger.Action] = []
            for _ in 0..<n {
                actions += trigger.handle(.window(window(i, psi: drifted)))
                i += 1
            }
            return actions
        }
        let first = try #require(fired(streak(3)))
        _ = trigger.handle(.dispatched(requestID: first.id, succeeded: true, outcome: "HTTP 202", at: t0 + 900))
        let held = streak(3)
        #expect(fired(held) == nil)
        #expect(held.contains { if case .suppressed(_, let reason) = $0 { reason.contains("in flight") } else { false } })
        // The retrained version closes the loop…
        let lineage = Lineage(derivedFrom: "11", method: .retrain, parameters: ["retrain_request": first.id])
        let closed = trigger.handle(.versionRegistered(model: "ranker", version: "12", lineage: lineage, at: t0 + 1900))
        guard case .update(let completed) = try #require(closed.first) else { return }
        #expect(completed.state == .completed && completed.resultVersion == "12")
        #expect(trigger.inFlightRequest(model: "ranker") == nil)
        // …but the cooldown (1 h from the first request) still holds back another one.
        let cooling = streak(3)
        #expect(fired(cooling) == nil)
        #expect(cooling.contains { if case .suppressed(_, let reason) = $0 { reason.contains("cooldown") } else { false } })
        // After the cooldown a sustained streak fires again.
        i = 20
        #expect(fired(streak(3)) != nil)
    }

    @Test("a request its target refused neither blocks nor starts a cooldown")
    func failedDispatch() throws {
        var trigger = RetrainTrigger(policies: [policy])
        for i in 0..<2 { _ = trigger.handle(.window(window(i, psi: drifted))) }
        let request = try #require(fired(trigger.handle(.window(window(2, psi: drifted)))))
        let updates = trigger.handle(.dispatched(requestID: request.id, succeeded: false, outcome: "HTTP 500", at: t0 + 900))
        guard case .update(let failed) = try #require(updates.first) else { return }
        #expect(failed.state == .failed && failed.outcome == "HTTP 500")
        for i in 3..<5 { _ = trigger.handle(.window(window(i, psi: drifted))) }
        #expect(fired(trigger.handle(.window(window(5, psi: drifted)))) != nil)
    }

    @Test("a version that is not a retrain, or names another request, does not close the loop")
    func unrelatedVersions() throws {
        var trigger = RetrainTrigger(policies: [policy])
        for i in 0..<3 { _ = trigger.handle(.window(window(i, psi: drifted))) }
        #expect(trigger.handle(.versionRegistered(model: "ranker", version: "12-int8", lineage: .init(derivedFrom: "11", method: .quantize), at: t0)).isEmpty)
        let other = Lineage(derivedFrom: "11", method: .retrain, parameters: ["retrain_request": "rt-other"])
        #expect(trigger.handle(.versionRegistered(model: "ranker", version: "12", lineage: other, at: t0)).isEmpty)
        #expect(trigger.handle(.versionRegistered(model: "ranker", version: "12", lineage: nil, at: t0)).isEmpty)
        #expect(trigger.inFlightRequest(model: "ranker") != nil)
    }

    @Test("an in-flight request without a version expires after the timeout")
    func expires() throws {
        var short = policy
        short.inFlightTimeoutSeconds = 600
        var trigger = RetrainTrigger(policies: [short])
        for i in 0..<3 { _ = trigger.handle(.window(window(i, psi: drifted))) }
        let actions = trigger.handle(.window(window(5, psi: [:])))
        guard case .update(let expired) = try #require(actions.first) else { return }
        #expect(expired.state == .expired)
        #expect(trigger.inFlightRequest(model: "ranker") == nil)
    }

    @Test("models without a policy are ignored")
    func noPolicy() {
        var trigger = RetrainTrigger(policies: [policy])
        let other = RetrainWindow(model: "retriever", start: t0, end: t0 + 300, featurePSI: drifted)
        for _ in 0..<5 { #expect(trigger.handle(.window(other)).isEmpty) }
    }

    @Test("policies decode with defaults and reject bad fields by name")
    func policyCoding() throws {
        let json = #"{"model":"ranker","target":{"command":{"argv":["/usr/local/bin/retrain","--model","ranker"]}}}"#
        let decoded = try DroverJSON.decode(RetrainPolicy.self, from: Array(json.utf8))
        #expect(decoded.consecutiveWindows == 3 && decoded.minDriftedFeatures == 3 && decoded.cooldownSeconds == 86_400)
        #expect(decoded.target == .command(.init(argv: ["/usr/local/bin/retrain", "--model", "ranker"])))
        try decoded.validate()
        var bad = decoded
        bad.validationMetric = "ndcg_at_10"
        #expect(throws: RetrainError.invalidPolicy(field: "validation_floor", "set both validation_metric and validation_floor, or neither")) {
            try bad.validate()
        }
        let roundTrip = try DroverJSON.decode(RetrainPolicy.self, from: try DroverJSON.encode(policy))
        #expect(roundTrip == policy)
    }
}

@Suite("Retrain dispatch")
struct RetrainDispatchTests {
    let t0 = Date(timeIntervalSince1970: 1_796_000_000)

    func request() -> RetrainRequest {
        let evidence = RetrainEvidence(
            model: "ranker", reasons: ["drift"], since: t0, until: t0 + 900, windows: 3,
            features: [.init(name: "price", psi: 0.4, maxPSI: 0.41, windows: 3)], versions: ["11"], zones: ["eu-1"],
            validation: nil, psiThreshold: 0.2, minDriftedFeatures: 1
        )
        return RetrainRequest(id: "rt-ranker-20261129T000000Z", model: "ranker", target: "command", evidence: evidence, createdAt: t0 + 900)
    }

    @Test("a command target gets the request and its evidence as JSON on stdin, without a shell")
    func commandGetsEvidenceOnStdin() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("drover-retrain-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("evidence with spaces; rm -rf.json").path
        let dispatcher = DefaultRetrainDispatcher(transport: ScriptedTransport())
        let target = RetrainTarget.command(.init(argv: ["/bin/sh", "-c", "cat > \"$1\"", "sh", out], timeoutSeconds: 10))
        let result = await dispatcher.dispatch(request(), to: target)
        #expect(result == .init(accepted: true, outcome: "exit 0"))
        let written = try Data(contentsOf: URL(fileURLWithPath: out))
        let decoded = try DroverJSON.decode(RetrainRequest.self, from: written)
        #expect(decoded == request())
        #expect(decoded.evidence.features.first?.psi == 0.4)
    }

    @Test("a failing command is recorded with its exit status and stderr")
    func commandFails() async {
        let dispatcher = DefaultRetrainDispatcher(transport: ScriptedTransport())
        let target = RetrainTarget.command(.init(argv: ["/bin/sh", "-c", "echo 'no GPU quota' >&2; exit 3"]))
        let result = await dispatcher.dispatch(request(), to: target)
        #expect(result == .init(accepted: false, outcome: "exit 3: no GPU quota"))
    }

    @Test("a command past its timeout is terminated and fails")
    func commandTimesOut() async {
        let dispatcher = DefaultRetrainDispatcher(transport: ScriptedTransport())
        let started = ContinuousClock.now
        let result = await dispatcher.dispatch(request(), to: .command(.init(argv: ["sleep", "30"], timeoutSeconds: 0.3)))
        #expect(!result.accepted)
        #expect(result.outcome.contains("timed out"))
        #expect(ContinuousClock.now - started < .seconds(30))  // timeout + 2 s kill grace; generous for loaded CI machines
    }

    @Test("a missing program is reported, not crashed on")
    func missingProgram() async {
        let dispatcher = DefaultRetrainDispatcher(transport: ScriptedTransport())
        let result = await dispatcher.dispatch(request(), to: .command(.init(argv: ["/nonexistent/retrain"])))
        #expect(!result.accepted && result.outcome.contains("not found"))
    }

    @Test("a webhook target gets the request as JSON with an idempotency key")
    func webhook() async throws {
        let transport = ScriptedTransport([.status(202)])
        let dispatcher = DefaultRetrainDispatcher(transport: transport)
        let result = await dispatcher.dispatch(request(), to: .webhook(.init(url: "http://127.0.0.1:9/retrain", bearerToken: "t")))
        #expect(result == .init(accepted: true, outcome: "HTTP 202 from http://127.0.0.1:9/retrain"))
        let sent = try #require(await transport.requests.first)
        #expect(sent.headers["Idempotency-Key"] == request().id)
        #expect(sent.bearerToken == "t")
        #expect(try DroverJSON.decode(RetrainRequest.self, from: sent.body ?? []) == request())
    }

    @Test("the coordinator records the request, its dispatch and the version that closes the loop")
    func coordinator() async throws {
        let store = InMemoryRetrainStore()
        let transport = ScriptedTransport([.status(202)])
        let policy = RetrainPolicy(
            model: "ranker", minDriftedFeatures: 1, consecutiveWindows: 2, target: .webhook(.init(url: "http://127.0.0.1:9/r"))
        )
        let coordinator = RetrainCoordinator(
            policies: [policy], store: store, dispatcher: DefaultRetrainDispatcher(transport: transport), logger: Logger(label: "test")
        )
        try await coordinator.start(at: t0)
        let w1 = RetrainWindow(model: "ranker", start: t0, end: t0 + 300, featurePSI: ["price": 0.3])
        let w2 = RetrainWindow(model: "ranker", start: t0 + 300, end: t0 + 600, featurePSI: ["price": 0.35])
        #expect(try await coordinator.observe([w1], at: t0 + 300).isEmpty)
        let fired = try await coordinator.observe([w2], at: t0 + 600)
        #expect(fired.map(\.state) == [.dispatched])
        let version = ModelVersion(
            model: "ranker", version: "12", artifact: .init(uri: "s3://m/12", sha256: String(repeating: "a", count: 64)),
            lineage: .init(derivedFrom: "11", method: .retrain)
        )
        await coordinator.versionRegistered(version, at: t0 + 7200)
        let stored = try await store.requests(model: "ranker", limit: 10)
        #expect(stored.count == 1)
        #expect(stored.first?.state == .completed)
        #expect(stored.first?.resultVersion == "12")
        #expect(stored.first?.dispatchedAt == t0 + 600)
        // A restarted coordinator knows the cooldown from the store.
        let restarted = RetrainCoordinator(
            policies: [policy], store: store, dispatcher: DefaultRetrainDispatcher(transport: transport), logger: Logger(label: "test")
        )
        try await restarted.start(at: t0 + 7300)
        let w3 = RetrainWindow(model: "ranker", start: t0 + 7300, end: t0 + 7600, featurePSI: ["price": 0.3])
        let w4 = RetrainWindow(model: "ranker", start: t0 + 7600, end: t0 + 7900, featurePSI: ["price": 0.3])
        #expect(try await restarted.observe([w3, w4], at: t0 + 7900).isEmpty)
    }
}
