import AgentCore
import DroverAPI
import DroverTestKit
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite("Reports and heartbeats written without JSONEncoder")
struct ReportJSONWriterTests {
    static let at = Date(timeIntervalSince1970: 1_795_000_000.25)

    /// Reports as the agent sends them: the 20-feature fixture, one with every optional field and awkward numbers,
    /// and one with none.
    static let reports: [(String, Report)] = {
        var full = Fixtures.report(
            index: 3, featureCount: 24,
            events: [
                IncidentEvent(at: at, kind: IncidentEvent.failover, from: "7", to: "6", reason: "3 probes failed: \"timeout\"\n"),
                IncidentEvent(at: at.addingTimeInterval(1), kind: IncidentEvent.spoolOverflow, reason: "2 reports dropped — ü/é"),
            ])
        full.dropped = DroppedBlock(events: 12, reports: 2, labels: 40_000)
        full.resources = ResourceBlock(agentRSSBytes: 31_000_000, agentCPUSeconds: 1.0, serverRSSBytes: 1, serverCPUSeconds: 0.125)
        full.latencyMs?.p50 = 3
        full.latencyMs?.p90 = 12.5
        full.latencyMs?.p99 = 1e-7
        full.latencyMs?.max = 9_007_199_254_740_992  // 2^53: written with an exponent, as JSONEncoder does
        full.online = MetricsBlock(source: "labels", n: 0, metrics: ["ndcg_at_10": 0.5, "ndcg_at_5": 1, "mrr": 1e21, "ctr": -0.0])
        full.drift?.outputs = [
            FeatureDrift(
                name: "score", kind: .numeric, n: 1200, counts: .bins([0, 1, 1199]), psi: 0.31, jsDistance: 0.2,
                wasserstein: 4, ksStatistic: 0.5, pValue: 2.5e-12, verdict: .drift),
            FeatureDrift(
                name: "emb", kind: .embedding, n: 9, centroidDistance: 0.75, driftedDimensionShare: 0.125,
                verdict: .insufficientData),
            FeatureDrift(
                name: "category", kind: .categorical, n: 3, counts: .categories(["b": 1, "a": 2, "__other__": 0]),
                chiSquare: 17, pValue: 1, verdict: .warn),
        ]
        let bare = Report(
            id: Fixtures.reportID(9), agentID: "node-a/ranker-0", model: "ranker", version: "7",
            window: TimeWindow(start: at, end: at.addingTimeInterval(60)), health: HealthBlock(live: false, ready: false))
        return [("20-feature fixture", Fixtures.report()), ("every field", full), ("no optional fields", bare)]
    }()

    @Test("a report is written as DroverJSON.encode writes it, and reads back equal", arguments: 0..<3)
    func sameAsEncoder(index: Int) throws {
        let (name, report) = Self.reports[index]
        let written = try report.compactJSON()
        let encoded = try DroverJSON.encode(report)
        let writtenValue = try #require(JSONValue.parse(written), "\(name): not JSON")
        #expect(writtenValue == JSONValue.parse(encoded), "\(name): differs from JSONEncoder's")
        #expect(try DroverJSON.decode(Report.self, from: written) == report, "\(name)")
        let read = try JSONReader.read(written) { r throws(JSONReadError) in try Report.read(from: &r) }
        #expect(read == report, "\(name): the control plane's reader")
    }

    @Test("the 20-feature fixture is byte for byte what JSONEncoder writes")
    func byteIdentical() throws {
        let report = Fixtures.report()
        #expect(String(decoding: try report.compactJSON(), as: UTF8.self) == String(decoding: try DroverJSON.encode(report), as: UTF8.self))
    }

    @Test("a number JSON cannot carry fails the report instead of writing it")
    func nonFinite() {
        var report = Fixtures.report()
        report.validation?.metrics["roc_auc"] = .nan
        #expect(throws: JSONWriter.NonFiniteNumber.self) { try report.compactJSON() }
    }

    @Test("heartbeats are written as JSONEncoder writes them", arguments: [
        Heartbeat(agentID: "a"),
        Heartbeat(agentID: "node-a/ranker-0", version: "7", labels: ["zone": "eu-1", "a\"b": "x"], spoolDepth: 4, agentVersion: "0.4.0"),
    ])
    func heartbeat(beat: Heartbeat) throws {
        #expect(String(decoding: beat.compactJSON(), as: UTF8.self) == String(decoding: try DroverJSON.encode(beat), as: UTF8.self))
        #expect(try DroverJSON.decode(Heartbeat.self, from: beat.compactJSON()) == beat)
    }

    @Test("a fetched profile is named by the server's ETag, else by the SHA-256 of the JSON served")
    func profileDigest() throws {
        let profile = Fixtures.referenceProfile()
        let json = try DroverJSON.encode(profile)
        let etag = "sha256:" + String(repeating: "ab", count: 32)
        #expect(FetchedProfile(profile: profile, json: json, etag: "\"\(etag)\"").digest == etag)
        #expect(FetchedProfile(profile: profile, json: json, etag: "W/\"\(etag)\"").digest == etag)
        let computed = "sha256:" + SHA256.hex(json)
        #expect(FetchedProfile(profile: profile, json: json).digest == computed)
        #expect(FetchedProfile(profile: profile, json: json, etag: "\"v3\"").digest == computed, "not a digest: ignored")
    }
}
