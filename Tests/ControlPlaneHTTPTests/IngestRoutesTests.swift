import ControlPlaneCore
import ControlPlaneHTTP
import DroverAPI
import DroverTestKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("HTTP ingest and input checks")
struct IngestRoutesTests {
    @Test("a report is stored once: the repeat is acknowledged as a duplicate")
    func dedupe() async throws {
        let h = try await HTTPHarness()
        let agent = try await h.enrollAgent()
        let report = Fixtures.report(index: 0)
        try await h.app().test(.router) { client in
            try await client.execute(uri: APIPath.reports, method: .post, headers: auth(agent), body: try body(report)) { response throws in
                #expect(response.status == .created)
                #expect(try decode(ReportAck.self, response) == ReportAck(accepted: [report.id], duplicates: []))
            }
            try await client.execute(uri: APIPath.reports, method: .post, headers: auth(agent), body: try body(report)) { response throws in
                #expect(response.status == .ok)
                #expect(try decode(ReportAck.self, response) == ReportAck(accepted: [], duplicates: [report.id]))
            }
            let batch = ReportBatch(reports: [report, Fixtures.report(index: 1)])
            try await client.execute(uri: APIPath.reportsBatch, method: .post, headers: auth(agent), body: try body(batch)) { response throws in
                #expect(try decode(ReportAck.self, response) == ReportAck(accepted: [Fixtures.report(index: 1).id], duplicates: [report.id]))
            }
            try await client.execute(uri: APIPath.fleetHealth + "?from=2026-11-29T04:00:00Z&to=2026-11-29T05:00:00Z", method: .get, headers: auth(h.tokens[.viewer])) { response throws in
                let health = try decode(FleetHealth.self, response)
                #expect(health.groups.count == 1)
                #expect(health.groups.first?.reports == 2)
                #expect(health.groups.first?.zone == "eu-1")
            }
        }
    }

    @Test("bad input is refused with 400 naming the field", arguments: [
        ("schema_version", "{\"schema_version\": 99}"),
        ("id", "{\"id\": \"\"}"),
        ("window.end", "{\"window\": {\"start\": \"2026-11-29T04:01:00Z\", \"end\": \"2026-11-29T04:00:00Z\"}}"),
        ("latency_ms.histogram.counts", "{\"latency_ms\": {\"count\": 1, \"histogram\": {\"bounds\": [1, 2], \"counts\": [1]}}}"),
        ("errors.count", "{\"errors\": {\"count\": -1, \"by_kind\": {}}}"),
        ("health", "{\"health\": null}"),
        ("window.start", "{\"window\": {\"start\": \"yesterday\", \"end\": \"2026-11-29T04:00:00Z\"}}"),
    ])
    func badInput(_ field: String, _ patch: String) async throws {
        let h = try await HTTPHarness()
        let agent = try await h.enrollAgent()
        var json = try JSONSerialization.jsonObject(with: Data(DroverJSON.encode(Fixtures.report()))) as! [String: Any]
        let changes = try JSONSerialization.jsonObject(with: Data(patch.utf8)) as! [String: Any]
        for (k, v) in changes { json[k] = v is NSNull ? nil : v }
        let data = try JSONSerialization.data(withJSONObject: json)
        try await h.app().test(.router) { client in
            try await client.execute(uri: APIPath.reports, method: .post, headers: auth(agent), body: ByteBuffer(bytes: Array(data))) { response throws in
                #expect(response.status == .badRequest)
                let error = try apiError(response)
                #expect(error.field?.hasPrefix(field) == true, "expected \(field), got \(error.field ?? "nil"): \(error.message)")
                #expect(!error.message.isEmpty)
            }
        }
    }

    @Test("invalid JSON and an empty body are 400; a body over the limit is 413")
    func malformedAndTooLarge() async throws {
        let h = try await HTTPHarness(maxBodyBytes: 4096)
        let agent = try await h.enrollAgent()
        try await h.app().test(.router) { client in
            try await client.execute(uri: APIPath.reports, method: .post, headers: auth(agent), body: ByteBuffer(string: "{not json")) { response throws in
                #expect(response.status == .badRequest)
                #expect(try apiError(response).field == "body")
            }
            try await client.execute(uri: APIPath.reports, method: .post, headers: auth(agent), body: ByteBuffer()) { #expect($0.status == .badRequest) }
            let big = ByteBuffer(string: "{\"pad\": \"" + String(repeating: "x", count: 10_000) + "\"}")
            try await client.execute(uri: APIPath.reports, method: .post, headers: auth(agent), body: big) { response throws in
                #expect(response.status == .contentTooLarge)
                #expect(try apiError(response).code == "payload_too_large")
            }
        }
    }

    @Test("a heartbeat, labels and the agent listing reflect what agents said")
    func agentsListing() async throws {
        let h = try await HTTPHarness()
        let agent = try await h.enrollAgent()
        try await h.app().test(.router) { client in
            try await client.execute(uri: APIPath.heartbeat(agent: Fixtures.agentID), method: .post, headers: auth(agent), body: try body(Heartbeat(agentID: Fixtures.agentID, version: "7", labels: ["zone": "eu-2"], agentVersion: "0.9.2"))) {
                #expect($0.status == .noContent)
            }
            try await client.execute(uri: APIPath.agent(Fixtures.agentID), method: .get, headers: auth(h.tokens[.viewer])) { response throws in
                struct Detail: Decodable { var agent_version: String? }
                #expect(try decode(Detail.self, response).agent_version == "0.9.2")
            }
            try await client.execute(uri: APIPath.agents + "?model=ranker", method: .get, headers: auth(h.tokens[.viewer])) { response throws in
                struct List: Decodable { var agents: [AgentInfo] }
                let list = try decode(List.self, response)
                #expect(list.agents.map(\.agentID) == [Fixtures.agentID])
                #expect(list.agents.first?.labels["zone"] == "eu-2")
                #expect(list.agents.first?.version == "7" && list.agents.first?.state == .active)
            }
            try await client.execute(uri: APIPath.agents + "?state=zombie", method: .get, headers: auth(h.tokens[.viewer])) { response throws in
                #expect(try apiError(response).field == "state")
            }
        }
    }
}
