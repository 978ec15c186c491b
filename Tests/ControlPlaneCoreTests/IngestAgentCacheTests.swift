import ControlPlaneCore
import DroverAPI
import DroverTestKit
import Foundation
import Testing

@Suite("Ingest agent cache")
struct IngestAgentCacheTests {
    /// The harness's agent, then its stored record changed behind the ingest service's back.
    private func agentRecord(_ h: Harness) async throws -> AgentRecord {
        try #require(try await h.store.agent(id: Fixtures.agentID))
    }

    @Test("a report naming another model than the cached record is checked against the store again")
    func modelChangeRereads() async throws {
        let h = try await Harness()
        let principal = try await h.agent()
        let ingest = IngestService(store: h.store, clock: .fixed(Harness.now))
        #expect(
            try await ingest.ingest([.init(report: Fixtures.report(index: 0))], by: principal).accepted
                .count == 1)
        var record = try await agentRecord(h)
        record.model = "reranker"
        try await h.store.upsertAgent(record)
        let ack = try await ingest.ingest(
            [.init(report: Fixtures.report(index: 1, model: "reranker"))], by: principal)
        #expect(ack.accepted.count == 1)
        // And the old model is refused now, from the refreshed record.
        let error = await controlPlaneError {
            _ = try await ingest.ingest([.init(report: Fixtures.report(index: 2))], by: principal)
        }
        #expect(error?.field?.hasSuffix("model") == true)
    }

    @Test("a zone change reaches rollups after the cache time, at once when the cache is off")
    func zoneChange() async throws {
        for seconds in [0.0, 3600] {
            let h = try await Harness()
            let principal = try await h.agent(zone: "eu-1")
            let ingest = IngestService(
                store: h.store, clock: .fixed(Harness.now),
                configuration: IngestConfiguration(agentCacheSeconds: seconds))
            _ = try await ingest.ingest([.init(report: Fixtures.report(index: 0))], by: principal)
            var record = try await agentRecord(h)
            record.labels["zone"] = "eu-2"
            try await h.store.upsertAgent(record)
            _ = try await ingest.ingest([.init(report: Fixtures.report(index: 1))], by: principal)
            let rows = try await h.store.rollups(
                RollupQuery(from: Fixtures.windowStart, to: Fixtures.windowStart.addingTimeInterval(3600)))
            let zones = Set(rows.map(\.key.zone))
            #expect(zones == (seconds == 0 ? ["eu-1", "eu-2"] : ["eu-1"]), "cache \(seconds) s")
        }
    }
}
