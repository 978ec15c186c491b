import AgentCore
import CoreMetrics
import DroverAPI
import DroverTestKit
import Logging
import Synchronization
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite("Agent runtime on a manual clock")
struct RuntimeTests {
    struct Harness {
        let dir = ScratchDirectory()
        let clock = ManualClock()
        let adapter = FakeAdapter(version: "2")
        let runtime: AgentRuntime<ManualClock>
        let spool: ReportSpool

        init(window: String = "{duration: 10s}", ingest: String = "{label_ttl: 5s}") throws {
            let config = try AgentConfig.load(
                text: """
                    agent: {id: a1}
                    server: {model: m, version: "2", backup_version: "1"}
                    probes: {interval: 1s}
                    guard: {failure_threshold: 3}
                    window: \(window)
                    ingest: \(ingest)
                    """, path: "test.yaml")
            spool = try ReportSpool(directory: dir.path, capacity: 100)
            runtime = AgentRuntime(
                config: config,
                deps: .init(
                    adapter: adapter, spool: spool, link: nil, statistics: DroverStatsStatistics(), clock: clock,
                    now: { Date(timeIntervalSince1970: 1_800_000_000) }, logger: quietLogger()))
        }

        func reports() async throws -> [Report] {
            try await spool.peek(limit: 100).map { try DroverJSON.decode(Report.self, from: $0.bytes) }
        }
    }

    @Test("three failed probes fail over to the backup once, within three probe intervals, and report it")
    func failover() async throws {
        let h = try Harness()
        defer { h.dir.remove() }
        h.adapter.setHealthy(false)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await ProbeService(runtime: h.runtime).run() }
            for _ in 0..<2 {
                try await h.clock.waitForSleepers(1)
                h.clock.advance(by: .seconds(1))
            }
            try await Eventually.wait("failover") { h.adapter.switches == ["1"] }
            // The backup is healthy; more probes change nothing and it never switches back.
            for _ in 0..<5 {
                try await h.clock.waitForSleepers(1)
                h.clock.advance(by: .seconds(1))
            }
            h.adapter.setHealthy(false)
            for _ in 0..<5 {
                try await h.clock.waitForSleepers(1)
                h.clock.advance(by: .seconds(1))
            }
            group.cancelAll()
        }
        #expect(h.adapter.switches == ["1"])
        #expect(await h.runtime.servedVersion == "1")
        await h.runtime.closeWindow(force: true)
        let reports = try await h.reports()
        #expect(reports.count == 2, "the window open at the failover is closed under the failing version")
        let failing = try #require(reports.first), backup = try #require(reports.last)
        #expect(failing.version == "2")
        #expect(failing.health.probeFailures >= 3)
        #expect(backup.version == "1")
        #expect(backup.events.map(\.kind) == ["failover"])
        #expect(backup.events.first?.reason == "3 consecutive probe failures")
        #expect(backup.events.first?.from == "2")
    }

    @Test("windows close on the clock and carry drift counts, golden and online metrics")
    func windowReport() async throws {
        let h = try Harness()
        defer { h.dir.remove() }
        await h.runtime.setProfile(
            ReferenceProfile(
                model: "m", version: "2",
                features: [
                    FeatureProfile(name: "x", kind: .numeric, n: 300, edges: [0.33, 0.66], counts: [100, 100, 100]),
                    FeatureProfile(name: "c", kind: .categorical, n: 300, counts: [150, 150, 0], categories: ["a", "b"]),
                ],
                outputs: [FeatureProfile(name: "score", kind: .numeric, n: 300, edges: [0.5], counts: [150, 150])]))
        var events: [PredictionEvent] = []
        for i in 0..<200 {
            let x = Double(i) / 200
            events.append(PredictionEvent(requestID: "r\(i)", features: ["x": .number(x), "c": .string(i % 2 == 0 ? "a" : "zzz")], scores: [x]))
        }
        let result = await h.runtime.ingest(events: events)
        #expect(result.accepted == 200)
        let labels = (0..<200).filter { $0 >= 100 }.map { LabelEvent(requestID: "r\($0)", kind: .click) } + [LabelEvent(requestID: "nobody", kind: .click)]
        let joined = await h.runtime.ingest(labels: labels)
        #expect(joined.matched == 100 && joined.unmatched == 1)
        let golden = [
            GoldenRecord(id: "g1", features: ["x": .number(0.9)], label: 1), GoldenRecord(id: "g2", features: ["x": .number(0.1)], label: 0),
        ]
        _ = await h.runtime.recordGolden(records: golden, result: .success([[0.9], [0.1]]), latencyMs: 3)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await WindowService(runtime: h.runtime).run() }
            try await h.clock.waitForSleepers(1)
            h.clock.advance(by: .seconds(10))
            try await Eventually.wait("a report") { await h.spool.depth == 1 }
            group.cancelAll()
        }
        let report = try #require(try await h.reports().first)
        #expect(report.agentID == "a1" && report.model == "m" && report.version == "2")
        let x = try #require(report.drift?.features.first { $0.name == "x" })
        #expect(x.counts == .bins([66, 66, 68]))
        #expect(x.psi != nil)
        let c = try #require(report.drift?.features.first { $0.name == "c" })
        #expect(c.counts == .categories(["a": 100, "__other__": 100]))
        #expect(c.verdict == .drift)
        #expect(report.drift?.outputs.first?.n == 200)
        #expect(report.drift?.referenceProfile.hasPrefix("sha256:") == true)
        #expect(report.validation?.source == "golden_set")
        #expect(report.validation?.metrics["roc_auc"] == 1)
        #expect(report.validation?.metrics["accuracy"] == 1)
        let online = try #require(report.online)
        #expect(online.n == 200)
        #expect(online.metrics["ctr"] == 0.5)
        #expect(online.metrics["roc_auc"] == 1, "clicked predictions had the higher scores")
        #expect(report.dropped.labels == 1)
        #expect(report.latencyMs?.count == 1)
        #expect(report.resources?.agentRSSBytes ?? 0 > 0)
        #expect(report.window.start == report.window.end, "the injected wall clock is fixed")
    }

    @Test("count windows close early; overflow and bad events are counted, sampling is not a loss")
    func bounds() async throws {
        let h = try Harness(window: "{duration: 10s, max_events: 5}", ingest: "{max_events_per_window: 3, sample_rate: 0.5}")
        defer { h.dir.remove() }
        var events: [PredictionEvent] = []
        for i in 0..<40 { events.append(PredictionEvent(requestID: "id-\(i)", features: [:], scores: [0.5])) }
        let first = await h.runtime.ingest(events: Array(events[0..<4]), invalid: 2)
        #expect(first.dropped >= 2)
        let all = await h.runtime.ingest(events: events)
        #expect(all.sampledOut > 5 && all.sampledOut < 35)
        await h.runtime.closeWindow(force: true)
        let reports = try await h.reports()
        #expect(reports.allSatisfy { $0.dropped.events >= 0 })
        #expect(reports.map(\.dropped.events).reduce(0, +) > 0)
    }

    @Test("a desired state is applied once per generation; a failed apply reports the server's error")
    func apply() async throws {
        let h = try Harness()
        defer { h.dir.remove() }
        let desired = DesiredState(agentID: "a1", model: "m", version: "3", generation: 7, reason: "rollout p1")
        let observed = try #require(await h.runtime.apply(desired))
        #expect(observed.status == .applied && observed.version == "3")
        #expect(await h.runtime.apply(desired) == nil, "same generation: nothing to do")
        h.adapter.state.withLock { $0.failSwitch = "model ranker version 4 not found" }
        let failed = try #require(await h.runtime.apply(DesiredState(agentID: "a1", model: "m", version: "4", generation: 8, reason: "r")))
        #expect(failed.status == .failed)
        #expect(failed.error == "model ranker version 4 not found")
        #expect(failed.version == "3")
        await h.runtime.closeWindow(force: true)
        // Each switch closes the window of the version served until then.
        let reports = try await h.reports()
        #expect(reports.map(\.version) == ["2", "3", "3"])
        #expect(reports.map { $0.events.map(\.kind) } == [[], ["apply_ok"], ["apply_failed"]])
    }
}

@Suite("Agent endpoints")
struct EndpointTests {
    @Test("events as JSON array and NDJSON, labels, healthz, metrics, 413 beyond the body bound")
    func endpoints() async throws {
        let h = try RuntimeTests.Harness()
        defer { h.dir.remove() }
        let metrics = PrometheusTextMetrics()
        let endpoints = AgentEndpoints(runtime: h.runtime, metrics: metrics)
        try await LocalHTTPServer.withServer(maxBodyBytes: 2048, handler: { await endpoints.handle($0) }) { (port: Int) async throws in
            let base = "http://127.0.0.1:\(port)"
            func post(_ path: String, _ body: String) async throws -> AgentHTTPResponse {
                try await TestHTTP.client.send(AgentHTTPRequest(method: "POST", url: base + path, body: Array(body.utf8), timeout: TestHTTP.timeout))
            }
            let array = try await post("/v1/events", #"[{"request_id":"a","features":{"x":1},"scores":[0.2]},{"bad":1}]"#)
            #expect(array.status == 202)
            #expect(array.bodyText == #"{"accepted":1,"sampled_out":0,"dropped":1}"#)
            let ndjson = try await post("/v1/events", "{\"request_id\":\"b\",\"features\":{},\"scores\":[0.4]}\n{\"request_id\":\"c\",\"features\":{},\"scores\":[0.5]}\n")
            #expect(ndjson.bodyText == #"{"accepted":2,"sampled_out":0,"dropped":0}"#)
            let garbage = try await post("/v1/events", "not json")
            #expect(garbage.status == 400)
            let labels = try await post("/v1/labels", #"[{"request_id":"a","kind":"click"},{"request_id":"zz","kind":"click"}]"#)
            #expect(labels.bodyText == #"{"matched":1,"unmatched":1}"#)
            let big = try await post("/v1/events", String(repeating: " ", count: 4096))
            #expect(big.status == 413)
            let health = try await TestHTTP.client.send(AgentHTTPRequest(method: "GET", url: base + "/healthz", timeout: TestHTTP.timeout))
            #expect(health.bodyText == #"{"status":"ok","version":"2","guard":"armed"}"#)
            let counter = metrics.makeCounter(label: "drover_agent_test_total", dimensions: [("kind", "x")])
            counter.increment(by: 3)
            let text = try await TestHTTP.client.send(AgentHTTPRequest(method: "GET", url: base + "/metrics", timeout: TestHTTP.timeout))
            #expect(text.bodyText.contains("# TYPE drover_agent_test_total counter\ndrover_agent_test_total{kind=\"x\"} 3\n"))
            let missing = try await TestHTTP.client.send(AgentHTTPRequest(method: "GET", url: base + "/nope", timeout: TestHTTP.timeout))
            #expect(missing.status == 404)
        }
    }
}
