import Foundation
import Hummingbird
import HummingbirdTesting
import RefModel
import RefServer
import Testing

@Suite("Fault knobs")
struct FaultKnobTests {
    @Test("GET /admin/faults shows every knob; POST applies a partial update; invalid values answer 400")
    func adminShape() async throws {
        let server = try TestServer()
        try await server.app.test(.router) { client in
            try await client.execute(uri: "/admin/faults", method: .get) { response in
                let object = try jsonObject(response.body)
                #expect(
                    Set(object.keys) == [
                        "latency_ms", "jitter_ms", "error_rate", "hang", "crash", "crash_exit_code", "skew_add",
                        "skew_multiply",
                        "not_ready", "seed",
                    ])
                #expect(object["crash"] as? String == "off")
            }
            try await client.execute(uri: "/admin/faults", method: .post, body: try body(["latency_ms": 5])) {
                response in
                #expect(response.status == .ok)
                let object = try jsonObject(response.body)
                #expect(object["latency_ms"] as? Double == 5)
                #expect(object["error_rate"] as? Double == 0)
            }
            try await client.execute(uri: "/admin/faults", method: .post, body: try body(["error_rate": 2])) {
                response in
                #expect(response.status == .badRequest)
                let message = try errorMessage(response.body)
                #expect(message.contains("error_rate"), "\(message)")
            }
            try await client.execute(uri: "/admin/faults", method: .post, body: try body(["crash": "sometimes"])) {
                response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/admin/faults", method: .delete) { response in
                try #expect(jsonObject(response.body)["latency_ms"] as? Double == 0)
            }
        }
    }

    @Test("added latency is measurable")
    func latency() async throws {
        let server = try TestServer { $0.faults.latencyMs = 300 }
        try await server.app.test(.router) { client in
            let clock = ContinuousClock()
            let start = clock.now
            let response = try await client.execute(
                uri: "/v2/models/ranker/infer", method: .post, body: try inferBody(rows: sampleRows()))
            let elapsed = clock.now - start
            #expect(response.status == .ok)
            #expect(elapsed >= .milliseconds(300))
            #expect(elapsed < .seconds(60), "the latency knob delays, it does not hang")
            _ = try await client.execute(uri: "/admin/faults", method: .post, body: try body(["latency_ms": 0]))
            let fastStart = clock.now
            _ = try await client.execute(
                uri: "/v2/models/ranker/infer", method: .post, body: try inferBody(rows: sampleRows()))
            // Without the knob the same request is faster (a relative check: the machine may be busy).
            #expect(clock.now - fastStart < elapsed)
        }
    }

    @Test("the error rate answers about that fraction of inference requests with 500, reproducibly for a seed")
    func errorRate() async throws {
        func failures(seed: UInt64) async throws -> [Bool] {
            let server = try TestServer {
                $0.faults.errorRate = 0.3
                $0.faults.seed = seed
            }
            let requestBody = try inferBody(rows: sampleRows(count: 2))
            let outcomes = try await server.app.test(.router) { client in
                var outcomes: [Bool] = []
                for _ in 0..<400 {
                    let response = try await client.execute(
                        uri: "/v2/models/ranker/infer", method: .post, body: requestBody)
                    if response.status == .internalServerError {
                        let message = try errorMessage(response.body)
                        #expect(message.contains("injected"), "\(message)")
                    } else {
                        #expect(response.status == .ok)
                    }
                    outcomes.append(response.status == .internalServerError)
                }
                return outcomes
            }
            #expect(server.state.stats.inferErrorsInjected == outcomes.count { $0 })
            #expect(server.state.stats.inferOK["1"] == outcomes.count { !$0 })
            return outcomes
        }
        let first = try await failures(seed: 42)
        let rate = Double(first.count { $0 }) / Double(first.count)
        #expect(abs(rate - 0.3) < 0.07, "observed \(rate)")
        #expect(try await failures(seed: 42) == first)
    }

    @Test("hang holds inference requests until cleared, and a cancelled client ends its hang")
    func hang() async throws {
        let server = try TestServer { $0.faults.hang = true }
        try await server.app.test(.router) { client in
            let requestBody = try inferBody(rows: sampleRows())
            async let hung = client.execute(uri: "/v2/models/ranker/infer", method: .post, body: requestBody)
            try await waitUntil { server.state.stats.hanging == 1 }
            // Health and admin still answer while inference hangs.
            #expect(try await client.execute(uri: "/v2/health/live", method: .get).status == .ok)
            _ = try await client.execute(uri: "/admin/faults", method: .post, body: try body(["hang": false]))
            #expect(try await hung.status == .ok)
            #expect(server.state.stats.hanging == 0)

            _ = try await client.execute(uri: "/admin/faults", method: .post, body: try body(["hang": true]))
            let task = Task {
                try await client.execute(uri: "/v2/models/ranker/infer", method: .post, body: requestBody)
            }
            try await waitUntil { server.state.stats.hanging == 1 }
            task.cancel()
            _ = await task.result
            try await waitUntil { server.state.stats.hanging == 0 }
        }
    }

    @Test("crash calls the exit handler on the next non-admin request, or immediately with crash now")
    func crash() async throws {
        let server = try TestServer()
        try await server.app.test(.router) { client in
            _ = try await client.execute(uri: "/admin/faults", method: .post, body: try body(["crash": "next_request"]))
            _ = try await client.execute(uri: "/admin/faults", method: .get)
            #expect(server.exits.recorded.isEmpty)
            _ = try await client.execute(uri: "/v2/health/live", method: .get)
            #expect(server.exits.recorded == [70])
            _ = try await client.execute(uri: "/v2/health/live", method: .get)
            #expect(server.exits.recorded == [70])
            _ = try await client.execute(
                uri: "/admin/faults", method: .post, body: try body(["crash": "now", "crash_exit_code": 3]))
            #expect(server.exits.recorded == [70, 3])
            #expect(server.state.stats.crashesTriggered == 2)
        }
    }

    @Test("output skew multiplies and shifts the scores")
    func skew() async throws {
        let server = try TestServer()
        let rows = sampleRows(count: 8)
        try await server.app.test(.router) { client in
            let base = try scores(
                try await client.execute(uri: "/v2/models/ranker/infer", method: .post, body: try inferBody(rows: rows))
                    .body)
            _ = try await client.execute(
                uri: "/admin/faults", method: .post, body: try body(["skew_multiply": 0.5, "skew_add": 0.2]))
            let skewed = try scores(
                try await client.execute(uri: "/v2/models/ranker/infer", method: .post, body: try inferBody(rows: rows))
                    .body)
            #expect(zip(base, skewed).allSatisfy { abs($0 * 0.5 + 0.2 - $1) < 1e-5 })
        }
    }

    @Test("the readiness knob makes server and model readiness fail while inference still answers")
    func readiness() async throws {
        let server = try TestServer { $0.faults.notReady = true }
        try await server.app.test(.router) { client in
            try await client.execute(uri: "/v2/health/ready", method: .get) { response in
                #expect(response.status == .badRequest)
                try #expect(jsonObject(response.body) as NSDictionary == ["ready": false])
            }
            try await client.execute(uri: "/v2/models/ranker/ready", method: .get) { response in
                try #expect(jsonObject(response.body) as NSDictionary == ["name": "ranker", "ready": false])
            }
            #expect(try await client.execute(uri: "/v2/health/live", method: .get).status == .ok)
            #expect(
                try await client.execute(
                    uri: "/v2/models/ranker/infer", method: .post, body: try inferBody(rows: sampleRows())
                ).status == .ok)
            _ = try await client.execute(uri: "/admin/faults", method: .post, body: try body(["not_ready": false]))
            #expect(try await client.execute(uri: "/v2/health/ready", method: .get).status == .ok)
        }
    }

    @Test("counters count inference requests by version")
    func counters() async throws {
        let server = try TestServer()
        try await server.app.test(.router) { client in
            for path in [
                "/v2/models/ranker/infer", "/v2/models/ranker/versions/2/infer", "/v2/models/ranker/versions/2/infer",
            ] {
                _ = try await client.execute(uri: path, method: .post, body: try inferBody(rows: sampleRows()))
            }
            try await client.execute(uri: "/admin/stats", method: .get) { response in
                let object = try jsonObject(response.body)
                #expect(object["infer_requests"] as? NSDictionary == ["1": 1, "2": 2])
                #expect(object["infer_ok"] as? NSDictionary == ["1": 1, "2": 2])
            }
        }
    }
}

/// Polls a condition every 5 ms for up to 5 s.
func waitUntil(_ condition: () -> Bool) async throws {
    for _ in 0..<1000 {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(5))
    }
    Issue.record("condition not met within 5 s")
}
