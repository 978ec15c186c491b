import ControlPlaneCore
import DroverAPI
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite("Alert evaluator")
struct AlertEvaluatorTests {
    let t0 = Date(timeIntervalSince1970: 1_796_000_000)
    let drift = AlertRule(name: "FeatureDrift", metric: "psi", op: .ge, threshold: 0.2, forSeconds: 300)

    func psi(_ value: Double, feature: String = "category", version: String = "7", zone: String = "eu-1") -> AlertObservation {
        .featureDrift(model: "ranker", version: version, zone: zone, feature: feature, psi: value)
    }

    @Test("a breach fires only after its for-duration, with the start of the breach as startsAt")
    func forDuration() throws {
        var evaluator = AlertEvaluator(rules: [drift])
        #expect(evaluator.handle(.evaluate([psi(0.3)], at: t0)).isEmpty)
        #expect(evaluator.pendingCount == 1)
        #expect(evaluator.handle(.evaluate([psi(0.31)], at: t0 + 299)).isEmpty)
        let actions = evaluator.handle(.evaluate([psi(0.32)], at: t0 + 300))
        #expect(actions.count == 1)
        guard case .fire(let alert) = try #require(actions.first) else {
            Issue.record("expected a firing alert, got \(actions)")
            return
        }
        #expect(alert.status == .firing)
        #expect(alert.startsAt == t0)
        #expect(alert.labels == ["model": "ranker", "feature": "category"])
        #expect(alert.annotations["feature"] == "category")
        #expect(alert.annotations["value"] == "0.32")
        #expect(alert.annotations["threshold"] == "0.2")
        #expect(alert.annotations["since"] == RFC3339.format(t0))
        #expect(alert.annotations["versions"] == "7")
        #expect(alert.annotations["zones"] == "eu-1")
        #expect(alert.annotations["summary"]?.contains("feature category") == true)
        #expect(evaluator.firing.map(\.fingerprint) == [alert.fingerprint])
    }

    @Test("a pending condition that clears before its for-duration never fires")
    func pendingResets() {
        var evaluator = AlertEvaluator(rules: [drift])
        _ = evaluator.handle(.evaluate([psi(0.3)], at: t0))
        #expect(evaluator.handle(.evaluate([psi(0.05)], at: t0 + 200)).isEmpty)
        #expect(evaluator.pendingCount == 0)
        #expect(evaluator.handle(.evaluate([psi(0.3)], at: t0 + 400)).isEmpty)
        #expect(evaluator.handle(.evaluate([psi(0.3)], at: t0 + 650)).isEmpty)
        #expect(evaluator.handle(.evaluate([psi(0.3)], at: t0 + 700)).count == 1)
    }

    @Test("a firing alert is not raised again while it fires, and resolves when the condition clears")
    func dedupeAndResolve() throws {
        var evaluator = AlertEvaluator(rules: [drift])
        _ = evaluator.handle(.evaluate([psi(0.3)], at: t0))
        let fired = evaluator.handle(.evaluate([psi(0.3)], at: t0 + 300))
        #expect(fired.count == 1)
        for minute in 6...30 {
            let actions = evaluator.handle(.evaluate([psi(0.3)], at: t0 + Double(minute * 60)))
            #expect(!actions.contains { if case .fire = $0 { true } else { false } })
        }
        let resolved = evaluator.handle(.evaluate([psi(0.04)], at: t0 + 2000))
        guard case .resolve(let alert) = try #require(resolved.first) else {
            Issue.record("expected a resolution, got \(resolved)")
            return
        }
        #expect(alert.status == .resolved)
        #expect(alert.endsAt == t0 + 2000)
        #expect(alert.startsAt == t0)
        #expect(alert.annotations["resolved_reason"]?.contains("0.04") == true)
        #expect(evaluator.firing.isEmpty)
    }

    @Test("versions and zones become evidence of one alert instead of one alert each")
    func aggregatesVersionsAndZones() throws {
        var evaluator = AlertEvaluator(rules: [drift])
        let round = [psi(0.25, version: "7", zone: "eu-1"), psi(0.41, version: "8", zone: "us-2"), psi(0.1, version: "8", zone: "ap-1")]
        _ = evaluator.handle(.evaluate(round, at: t0))
        let actions = evaluator.handle(.evaluate(round, at: t0 + 300))
        #expect(actions.count == 1)
        guard case .fire(let alert) = try #require(actions.first) else { return }
        #expect(alert.annotations["versions"] == "7, 8")
        #expect(alert.annotations["zones"] == "eu-1, us-2")
        #expect(alert.annotations["value"] == "0.41")
    }

    @Test("each drifted feature is its own alert")
    func perFeature() {
        var evaluator = AlertEvaluator(rules: [drift])
        let round = [psi(0.3, feature: "price"), psi(0.3, feature: "category"), psi(0.01, feature: "brand")]
        _ = evaluator.handle(.evaluate(round, at: t0))
        #expect(evaluator.handle(.evaluate(round, at: t0 + 300)).count == 2)
    }

    @Test("a firing alert without data resolves after the stale period, not before")
    func staleResolves() {
        var evaluator = AlertEvaluator(rules: [drift], configuration: .init(staleAfterSeconds: 600))
        _ = evaluator.handle(.evaluate([psi(0.3)], at: t0))
        _ = evaluator.handle(.evaluate([psi(0.3)], at: t0 + 300))
        #expect(evaluator.handle(.evaluate([], at: t0 + 800)).isEmpty)
        let actions = evaluator.handle(.evaluate([], at: t0 + 900))
        #expect(actions.count == 1)
        if case .resolve(let alert) = actions.first { #expect(alert.annotations["resolved_reason"] == "no data for 600s") }
    }

    @Test("alerts restored after a restart are not raised a second time")
    func restore() {
        var first = AlertEvaluator(rules: [drift])
        _ = first.handle(.evaluate([psi(0.3)], at: t0))
        _ = first.handle(.evaluate([psi(0.3)], at: t0 + 300))
        var second = AlertEvaluator(rules: [drift])
        _ = second.handle(.restore(first.firing, at: t0 + 400))
        #expect(second.handle(.evaluate([psi(0.3)], at: t0 + 430)).isEmpty)
        #expect(second.firing == first.firing)
    }

    @Test("a failover fires at once and carries the failover's evidence")
    func failover() throws {
        var evaluator = AlertEvaluator()
        let observation = AlertObservation.failover(
            model: "ranker", agent: "node-a/ranker-0", zone: "eu-1", count: 1, from: "7", to: "6",
            reason: "5 consecutive probe failures", at: t0
        )
        let actions = evaluator.handle(.evaluate([observation], at: t0 + 10))
        guard case .fire(let alert) = try #require(actions.first) else { return }
        #expect(alert.rule == "FailoverHappened")
        #expect(alert.severity == "critical")
        #expect(alert.annotations["agents"] == "node-a/ranker-0")
        #expect(alert.annotations["failover_reason"] == "5 consecutive probe failures")
        #expect(alert.annotations["summary"]?.contains("7 -> 6") == true)
    }

    @Test("a lower-bound rule fires when the value drops below the floor")
    func lowerBound() {
        let floor = AlertRule(name: "NDCGFloor", metric: "ndcg_at_10", model: "ranker", op: .lt, threshold: 0.6)
        var evaluator = AlertEvaluator(rules: [floor])
        let other = AlertObservation(metric: "ndcg_at_10", value: 0.1, labels: ["model": "retriever"])
        #expect(evaluator.handle(.evaluate([other], at: t0)).isEmpty)
        let low = AlertObservation(metric: "ndcg_at_10", value: 0.55, labels: ["model": "ranker", "version": "7"])
        #expect(evaluator.handle(.evaluate([low], at: t0)).count == 1)
    }

    @Test("removing a rule resolves its alerts")
    func removeRule() {
        var evaluator = AlertEvaluator(rules: [drift])
        _ = evaluator.handle(.evaluate([psi(0.3)], at: t0))
        _ = evaluator.handle(.evaluate([psi(0.3)], at: t0 + 300))
        let actions = evaluator.handle(.setRules([], at: t0 + 400))
        #expect(actions.count == 1)
        #expect(evaluator.firing.isEmpty)
    }

    @Test("non-finite values are treated as no data")
    func nonFinite() {
        var evaluator = AlertEvaluator(rules: [AlertRule(name: "X", metric: "psi", op: .ge, threshold: 0.2)])
        #expect(evaluator.handle(.evaluate([psi(.nan), psi(.infinity)], at: t0)).isEmpty)
    }
}

@Suite("Alert fingerprints")
struct AlertFingerprintTests {
    @Test("the fingerprint is stable across processes and releases (golden value)")
    func golden() {
        #expect(AlertFingerprint.of(rule: "FeatureDrift", labels: ["model": "ranker", "feature": "category"]) == "591b0d204d220c31")
    }

    @Test("label order does not change the fingerprint")
    func orderIndependent() {
        var a: [String: String] = [:]
        var b: [String: String] = [:]
        for (k, v) in [("model", "ranker"), ("feature", "price"), ("zone", "eu")] { a[k] = v }
        for (k, v) in [("zone", "eu"), ("feature", "price"), ("model", "ranker")] { b[k] = v }
        #expect(AlertFingerprint.of(rule: "R", labels: a) == AlertFingerprint.of(rule: "R", labels: b))
    }

    @Test("rule names and label boundaries are part of the identity", arguments: [
        (["a": "b,c"], ["a": "b", "c": ""]),
        (["model": "ranker"], ["model": "ranker2"]),
        (["ab": "c"], ["a": "bc"]),
    ])
    func distinct(lhs: [String: String], rhs: [String: String]) {
        #expect(AlertFingerprint.of(rule: "R", labels: lhs) != AlertFingerprint.of(rule: "R", labels: rhs))
        #expect(AlertFingerprint.of(rule: "R", labels: lhs) != AlertFingerprint.of(rule: "S", labels: lhs))
    }

    @Test("fingerprints are 16 lowercase hex digits")
    func shape() {
        let fingerprint = AlertFingerprint.of(rule: "AgentLost", labels: [:])
        #expect(fingerprint.count == 16)
        #expect(fingerprint.allSatisfy { "0123456789abcdef".contains($0) })
    }
}

@Suite("Alert rules")
struct AlertRuleTests {
    @Test("the default rules are valid and cover drift, errors, latency, validation, lost agents and failovers")
    func defaults() throws {
        for rule in AlertRule.defaultRules { try rule.validate() }
        #expect(Set(AlertRule.defaultRules.map(\.metric)) == ["psi", "error_rate", "latency_p99_ms", "validation_decay", "agent_lost", "failover"])
        let drift = try #require(AlertRule.defaultRules.first { $0.name == "FeatureDrift" })
        #expect(drift.threshold == 0.2 && drift.forSeconds == 300 && drift.op == .ge)
    }

    @Test("invalid rules name the field to fix", arguments: [
        (AlertRule(name: "", metric: "psi", op: .ge, threshold: 1), "name"),
        (AlertRule(name: "a b", metric: "psi", op: .ge, threshold: 1), "name"),
        (AlertRule(name: "R", metric: "", op: .ge, threshold: 1), "metric"),
        (AlertRule(name: "R", metric: "psi", op: .ge, threshold: .nan), "threshold"),
        (AlertRule(name: "R", metric: "psi", op: .ge, threshold: 1, forSeconds: -1), "for_seconds"),
        (AlertRule(name: "R", metric: "psi", op: .ge, threshold: 1, severity: "page"), "severity"),
    ])
    func invalid(rule: AlertRule, field: String) {
        #expect(throws: AlertError.self) { try rule.validate() }
        do { try rule.validate() } catch { #expect(error.field == field) }
    }
}
