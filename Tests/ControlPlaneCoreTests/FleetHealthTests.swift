import ControlPlaneCore
import DroverAPI
import DroverTestKit
import Foundation
import Testing

/// Records what it was asked to score.
final class RecordingScorer: FleetDriftScorer, Sendable {
    let calls = Synchronized<[[DriftInput]]>([])
    func score(_ inputs: [DriftInput]) -> [DriftScore?] {
        calls.mutate { $0.append(inputs) }
        return inputs.map { _ in DriftScore(psi: 0.5, verdict: .drift) }
    }
}

/// A tiny lock-protected box for test doubles.
final class Synchronized<T: Sendable>: @unchecked Sendable {  // guarded by `lock`
    private let lock = NSLock()
    private var value: T
    init(_ value: T) { self.value = value }
    func mutate(_ f: (inout T) -> Void) { lock.lock(); f(&value); lock.unlock() }
    var current: T { lock.lock(); defer { lock.unlock() }; return value }
}

@Suite("Fleet health")
struct FleetHealthTests {
    func report(
        agent: String, index: Int, latency: [Int], errors: Int, ndcg: Double, n: Int, price: [Int], category: [String: Int],
        digest: String = "sha256:x"
    ) -> Report {
        Report(
            id: Fixtures.reportID(index), agentID: agent, model: Fixtures.model, version: Fixtures.version,
            window: TimeWindow(start: Fixtures.windowStart, end: Fixtures.windowStart.addingTimeInterval(60)),
            health: HealthBlock(live: true, ready: true, probes: 10, probeFailures: 1),
            latencyMs: LatencyBlock(count: latency.reduce(0, +), histogram: Histogram(bounds: [10, 20, 50], counts: latency)),
            errors: ErrorBlock(count: errors, byKind: ["timeout": errors]),
            validation: MetricsBlock(source: "golden_set", n: n, metrics: ["ndcg_at_10": ndcg]),
            drift: DriftBlock(referenceProfile: digest, features: [
                FeatureDrift(name: "price", kind: .numeric, n: price.reduce(0, +), counts: .bins(price), psi: 9, verdict: .ok),
                FeatureDrift(name: "category", kind: .categorical, n: category.values.reduce(0, +), counts: .categories(category), verdict: .ok),
            ]))
    }

    @Test("quantiles, error rate, weighted means and drift come from merged counts across agents")
    func merge() async throws {
        let scorer = RecordingScorer()
        let h = try await Harness(scorer: scorer)
        _ = try await h.controlPlane.versions.register(Fixtures.modelVersion(), by: h.operatorP)
        let profile = ReferenceProfile(model: Fixtures.model, version: Fixtures.version, features: [
            FeatureProfile(name: "price", kind: .numeric, n: 300, edges: [1, 2], counts: [100, 100, 100]),
            FeatureProfile(name: "category", kind: .categorical, n: 300, counts: [100, 100, 100], categories: ["a", "b"]),
        ])
        let digest = try await h.controlPlane.versions.putProfile(profile, model: Fixtures.model, version: Fixtures.version, by: h.operatorP)
        let a = try await h.agent("a"), b = try await h.agent("b")
        _ = try await h.controlPlane.ingest.ingest(
            [.init(report: report(agent: "a", index: 1, latency: [90, 10, 0, 0], errors: 0, ndcg: 0.8, n: 100, price: [10, 0, 0], category: ["a": 5], digest: digest))], by: a)
        _ = try await h.controlPlane.ingest.ingest(
            [.init(report: report(agent: "b", index: 2, latency: [0, 0, 98, 2], errors: 20, ndcg: 0.5, n: 300, price: [0, 5, 5], category: ["b": 3, "zzz": 2], digest: digest))], by: b)
        let health = try await h.controlPlane.fleet.health(from: Fixtures.windowStart, to: Harness.now)
        let g = try #require(health.groups.first)
        #expect(health.groups.count == 1 && g.zone == "eu-1")
        #expect(g.reports == 2 && g.requests == 200 && g.errors == 20)
        #expect(g.errorRate == 20.0 / 220.0)
        let latency = try #require(g.latencyMs)
        #expect(latency.p50 == 20)  // rank 100 ends the second bucket exactly
        #expect(latency.p99 == 50)  // rank 198 falls in the open last bucket: its lower bound
        #expect(abs(g.validation!.metrics["ndcg_at_10"]! - (0.8 * 100 + 0.5 * 300) / 400) < 1e-12)
        #expect(g.probes == 20 && g.probeFailures == 2)
        let price = try #require(g.drift.first { $0.name == "price" })
        #expect(price.counts == [10, 5, 5] && price.referenceCounts == [100, 100, 100])
        let category = try #require(g.drift.first { $0.name == "category" })
        #expect(category.counts == [5, 3, 2])  // a, b, then everything else as __other__
        #expect(price.score?.psi == 0.5)  // the scorer's value, not an average of the agents' psi
        #expect(scorer.calls.current.count == 1 && scorer.calls.current[0].count == 2)
        #expect(g.referenceProfile == digest && g.profileMismatches == 0 && g.mismatchedProfiles == nil)
    }

    @Test("reports over another profile are kept and counted, but their drift stays out of fleet drift, whichever came first")
    func profileMismatchExcluded() async throws {
        let h = try await Harness(scorer: RecordingScorer())
        _ = try await h.controlPlane.versions.register(Fixtures.modelVersion(), by: h.operatorP)
        let profile = ReferenceProfile(model: Fixtures.model, version: Fixtures.version, features: [
            FeatureProfile(name: "price", kind: .numeric, n: 300, edges: [1, 2], counts: [100, 100, 100]),
            FeatureProfile(name: "category", kind: .categorical, n: 300, counts: [100, 100, 100], categories: ["a", "b"]),
        ])
        let digest = try await h.controlPlane.versions.putProfile(profile, model: Fixtures.model, version: Fixtures.version, by: h.operatorP)
        let stale = try await h.agent("stale"), fresh = try await h.agent("fresh")
        // The stale agent reports first into the same bucket, with a profile of other bins.
        _ = try await h.controlPlane.ingest.ingest(
            [.init(report: report(agent: "stale", index: 1, latency: [10, 0, 0, 0], errors: 0, ndcg: 0.8, n: 10, price: [1, 2, 3, 4, 5], category: ["a": 7], digest: "sha256:old"))], by: stale)
        _ = try await h.controlPlane.ingest.ingest(
            [.init(report: report(agent: "fresh", index: 2, latency: [10, 0, 0, 0], errors: 0, ndcg: 0.8, n: 10, price: [4, 5, 6], category: ["b": 9], digest: digest))], by: fresh)
        _ = try await h.controlPlane.ingest.ingest(
            [.init(report: report(agent: "stale", index: 3, latency: [10, 0, 0, 0], errors: 0, ndcg: 0.8, n: 10, price: [1, 1, 1, 1, 1], category: ["a": 1], digest: "sha256:old"))], by: stale)
        let health = try await h.controlPlane.fleet.health(from: Fixtures.windowStart, to: Harness.now)
        let g = try #require(health.groups.first)
        #expect(g.reports == 3 && g.requests == 30)  // every report still counts for traffic
        #expect(g.profileMismatches == 2)
        #expect(g.mismatchedProfiles == ["sha256:old": 2])
        #expect(g.referenceProfile == digest)
        #expect(g.drift.first { $0.name == "price" }?.counts == [4, 5, 6])  // only the fresh agent's bins
        #expect(g.drift.first { $0.name == "category" }?.counts == [0, 9, 0])
        #expect(g.unmergeable == 0)
    }

    @Test("rollups keep drift over different profiles apart, in any merge order, and survive old rows")
    func rollupKeepsProfilesApart() throws {
        func rollup(_ digest: String, _ bins: [Int]) -> ReportRollup {
            var r = ReportRollup()
            r.reports = 1
            r.referenceProfile = digest
            r.driftReports = 1
            r.features = ["price": MergedCounts(kind: .numeric, n: bins.reduce(0, +), bins: bins)]
            return r
        }
        let a1 = rollup("sha256:a", [1, 1]), a2 = rollup("sha256:a", [2, 2]), b = rollup("sha256:b", [5, 5, 5])
        for order in [[a1, b, a2], [b, a1, a2], [a1, a2, b]] {
            let merged = order.dropFirst().reduce(order[0]) { $0.merging($1) }
            let split = merged.driftSplit(storedProfile: "sha256:a")
            #expect(split.counts.features["price"]?.bins == [3, 3])
            #expect(split.counts.reports == 2)
            #expect(split.mismatched == ["sha256:b": 1])
            #expect(merged.skippedDrift == 0)
        }
        // Without a stored profile the first profile is used and the rest is unmergeable, as before.
        let noStored = a1.merging(b).driftSplit(storedProfile: nil)
        #expect(noStored.digest == "sha256:a" && noStored.unmergeable == 1 && noStored.mismatched.isEmpty)
        // A row written before `drift_reports` existed decodes and counts all its reports as over its profile.
        var old = try DroverJSON.decode(ReportRollup.self, from: try DroverJSON.encode(a2.merging(a1)))
        old.driftReports = nil
        let decoded = try DroverJSON.decode(ReportRollup.self, from: try DroverJSON.encode(old))
        #expect(decoded.profileReports == 2)
        #expect(decoded.merging(b).driftSplit(storedProfile: "sha256:b").mismatched == ["sha256:a": 2])
    }

    @Test("a rollup keeps at most a few other profiles; drift over more is counted as skipped")
    func otherProfilesBounded() {
        var merged = ReportRollup()
        for i in 0...(ReportRollup.maxOtherProfiles + 2) {
            var r = ReportRollup()
            r.reports = 1
            r.referenceProfile = "sha256:\(i)"
            r.driftReports = 1
            r.features = ["price": MergedCounts(kind: .numeric, n: 1, bins: [1])]
            merged.merge(r)
        }
        #expect(merged.otherProfiles?.count == ReportRollup.maxOtherProfiles)
        #expect(merged.skippedDrift == 2)
        #expect(merged.reports == ReportRollup.maxOtherProfiles + 3)
    }

    @Test("DroverStats scores merged counts: identical distributions are ok, shifted ones drift")
    func droverStatsScorer() {
        let scorer = DroverStatsDriftScorer()
        let scores = scorer.score([
            DriftInput(name: "same", kind: .numeric, observed: [1000, 1000, 1000, 1000], reference: [1000, 1000, 1000, 1000]),
            DriftInput(name: "shifted", kind: .numeric, observed: [3000, 500, 300, 200], reference: [1000, 1000, 1000, 1000]),
        ])
        #expect(scores[0]?.verdict == .ok)
        #expect(scores[1]?.verdict == .drift)
        #expect((scores[1]?.psi ?? 0) > 0.2)
    }

    @Test("histogram quantiles interpolate linearly within a bucket")
    func quantiles() throws {
        // 100 values in (10, 20], nothing elsewhere.
        let q = try #require(LatencyQuantiles(bounds: [10, 20], counts: [0, 100, 0]))
        #expect(q.count == 100)
        #expect(abs(q.p50 - 15) < 1e-9)
        #expect(abs(q.p90 - 19) < 1e-9)
        #expect(LatencyQuantiles(bounds: [10, 20], counts: [0, 0, 0]) == nil)
    }
}
