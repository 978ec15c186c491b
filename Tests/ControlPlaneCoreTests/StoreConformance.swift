// Shared by ControlPlaneCoreTests and ControlPlaneSQLiteTests (symlinked): every ControlPlaneStore must pass these.
import ControlPlaneCore
import DroverAPI
import DroverTestKit
import Foundation
import Testing

/// Behaviour every `ControlPlaneStore` must show, run against the in-memory and the SQLite store.
enum StoreConformance: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case tokens, agents, ingestDedupe, rollups, versions, desired, observed, audit, prune

    var testDescription: String { rawValue }

    static let t0 = Date(timeIntervalSince1970: 1_795_924_800)

    func run(_ store: any ControlPlaneStore) async throws {
        switch self {
        case .tokens: try await Self.tokens(store)
        case .agents: try await Self.agents(store)
        case .ingestDedupe: try await Self.ingestDedupe(store)
        case .rollups: try await Self.rollups(store)
        case .versions: try await Self.versions(store)
        case .desired: try await Self.desired(store)
        case .observed: try await Self.observed(store)
        case .audit: try await Self.audit(store)
        case .prune: try await Self.prune(store)
        }
    }

    static func agent(_ id: String, zone: String = "eu-1", model: String = Fixtures.model) -> AgentRecord {
        AgentRecord(id: id, model: model, labels: ["zone": zone], enrolledAt: t0)
    }

    static func item(_ report: Report, zone: String = "eu-1", receivedAt: Date = t0) throws -> IngestItem {
        IngestItem(
            report: StoredReport(
                id: report.id, agentID: report.agentID, model: report.model, version: report.version, zone: zone,
                windowStart: report.window.start, windowEnd: report.window.end, receivedAt: receivedAt,
                json: try DroverJSON.encode(report)),
            key: RollupKey(model: report.model, version: report.version, zone: zone, bucketStart: report.window.start),
            rollup: ReportRollup(report: report))
    }

    static func tokens(_ store: any ControlPlaneStore) async throws {
        let a = TokenRecord(id: "tok_a", name: "a", role: .admin, secretHash: "h1", createdAt: t0, createdBy: "test")
        let b = TokenRecord(id: "tok_b", name: "b", role: .agent, secretHash: "h2", agentID: "x", createdAt: t0.addingTimeInterval(1), createdBy: "test")
        try await store.insertToken(a)
        try await store.insertToken(b)
        #expect(try await store.token(secretHash: "h1") == a)
        #expect(try await store.token(secretHash: "nope") == nil)
        #expect(try await store.tokens().map(\.id) == ["tok_b", "tok_a"])
        #expect(try await store.revokeToken(id: "tok_a", at: t0) == true)
        #expect(try await store.revokeToken(id: "tok_a", at: t0) == false)
        #expect(try await store.token(secretHash: "h1")?.revokedAt == t0)
        #expect(try await store.revokeAgentTokens(agentID: "x", at: t0) == 1)
        #expect(try await store.token(secretHash: "h2")?.revokedAt != nil)
    }

    static func agents(_ store: any ControlPlaneStore) async throws {
        try await store.upsertAgent(agent("a/1"))
        var again = agent("a/1", zone: "us-1")
        again.enrolledAt = t0.addingTimeInterval(100)
        try await store.upsertAgent(again)
        let stored = try #require(try await store.agent(id: "a/1"))
        #expect(stored.enrolledAt == t0)
        #expect(stored.zone == "us-1")
        try await store.upsertAgent(agent("b/1", model: "other"))
        #expect(try await store.agents(model: Fixtures.model).map(\.id) == ["a/1"])
        #expect(try await store.agents(model: nil).count == 2)
        let seen = try await store.recordSightings([
            AgentSighting(agentID: "a/1", at: t0.addingTimeInterval(10), version: "7", spoolDepth: 3, agentVersion: "0.4.1"),
            AgentSighting(agentID: "ghost", at: t0),
        ])
        #expect(seen == ["a/1"])
        let sighted = try #require(try await store.agent(id: "a/1"))
        #expect(sighted.lastSeen == t0.addingTimeInterval(10))
        #expect(sighted.version == "7")
        #expect(sighted.spoolDepth == 3)
        #expect(sighted.agentVersion == "0.4.1")
        // An older sighting does not move last_seen back; a sighting without an agent version keeps the known one.
        try await store.recordSightings([AgentSighting(agentID: "a/1", at: t0, version: "6")])
        #expect(try await store.agent(id: "a/1")?.lastSeen == t0.addingTimeInterval(10))
        #expect(try await store.agent(id: "a/1")?.version == "7")
        #expect(try await store.agent(id: "a/1")?.agentVersion == "0.4.1")
    }

    static func ingestDedupe(_ store: any ControlPlaneStore) async throws {
        try await store.upsertAgent(agent(Fixtures.agentID))
        let r1 = Fixtures.report(index: 0), r2 = Fixtures.report(index: 1)
        let first = try await store.ingest([try item(r1), try item(r2)])
        #expect(first == [r1.id, r2.id])
        let second = try await store.ingest([try item(r1), try item(Fixtures.report(index: 2))])
        #expect(second == [Fixtures.report(index: 2).id])
        let rows = try await store.reports(agentID: Fixtures.agentID, from: t0, to: t0.addingTimeInterval(3600), limit: 10)
        #expect(rows.count == 3)
        #expect(rows.first?.id == Fixtures.report(index: 2).id)
        #expect(try DroverJSON.decode(Report.self, from: rows.last!.json) == r1)
        #expect(try await store.agent(id: Fixtures.agentID)?.lastSeen == t0)
        // Concurrent submissions of the same ids store each once.
        let r9 = Fixtures.report(index: 9)
        let results = try await withThrowingTaskGroup(of: Set<String>.self) { group in
            for _ in 0..<8 { group.addTask { try await store.ingest([try item(r9)]) } }
            return try await group.reduce(into: [Set<String>]()) { $0.append($1) }
        }
        #expect(results.filter { !$0.isEmpty }.count == 1)
    }

    static func rollups(_ store: any ControlPlaneStore) async throws {
        try await store.upsertAgent(agent(Fixtures.agentID))
        let r = Fixtures.report(index: 0)
        _ = try await store.ingest([try item(r), try item(Fixtures.report(id: Fixtures.reportID(50), index: 0, seed: 7))])
        _ = try await store.ingest([try item(r)])  // duplicate: not merged again
        let rows = try await store.rollups(RollupQuery(from: t0, to: t0.addingTimeInterval(60)))
        #expect(rows.count == 1)
        #expect(rows[0].rollup.reports == 2)
        #expect(rows[0].rollup.requests == 2400)
        #expect(try await store.rollups(RollupQuery(model: "other", from: t0, to: t0.addingTimeInterval(60))).isEmpty)
        #expect(try await store.rollups(RollupQuery(zone: "eu-1", from: t0.addingTimeInterval(60), to: t0.addingTimeInterval(120))).isEmpty)
    }

    static func versions(_ store: any ControlPlaneStore) async throws {
        let parent = VersionRecord(registering: Fixtures.modelVersion(version: "7"), at: t0, by: "op")
        guard case .inserted(let stored) = try await store.insertVersion(parent) else { Issue.record("not inserted"); return }
        #expect(stored.model == parent.model && stored.sha256 == parent.sha256 && stored.inputs == parent.inputs)
        guard case .existing = try await store.insertVersion(parent) else { Issue.record("duplicate inserted"); return }
        let child = VersionRecord(
            registering: Fixtures.modelVersion(version: "7-int8", lineage: Lineage(derivedFrom: "7", method: .quantize, parameters: ["bits": "8"])),
            at: t0, by: "op")
        _ = try await store.insertVersion(child)
        #expect(try await store.children(model: Fixtures.model, of: "7").map(\.version) == ["7-int8"])
        #expect(try await store.versions(model: Fixtures.model).map(\.version) == ["7", "7-int8"])
        try await store.setAlias(model: Fixtures.model, alias: "stable", version: "7")
        try await store.setAlias(model: Fixtures.model, alias: "stable", version: "7-int8")
        #expect(try await store.version(model: Fixtures.model, version: "7")?.aliases == [])
        #expect(try await store.version(model: Fixtures.model, version: "7-int8")?.aliases == ["stable"])
        #expect(try await store.removeAlias(model: Fixtures.model, alias: "stable") == true)
        #expect(try await store.removeAlias(model: Fixtures.model, alias: "stable") == false)
        #expect(try await store.setStatus(model: Fixtures.model, version: "7", status: .retired) == true)
        #expect(try await store.version(model: Fixtures.model, version: "7")?.status == .retired)
        #expect(try await store.setStatus(model: Fixtures.model, version: "nope", status: .retired) == false)
        let profile = try ReferenceProfileDigest.canonical(Fixtures.referenceProfile())
        try await store.putProfile(model: Fixtures.model, version: "7-int8", profile: profile)
        #expect(try await store.profile(model: Fixtures.model, version: "7-int8") == profile)
        #expect(try await store.version(model: Fixtures.model, version: "7-int8")?.referenceProfileDigest == profile.digest)
    }

    static func desired(_ store: any ControlPlaneStore) async throws {
        let first = try await store.setDesired(
            [DesiredTarget(agentID: "a", model: "m", version: "1", reason: "r"), DesiredTarget(agentID: "b", model: "m", version: "1", reason: "r")],
            at: t0, by: "op")
        #expect(first.map(\.generation) == [1, 1])
        let second = try await store.setDesired([DesiredTarget(agentID: "a", model: "m", version: "2", planID: "p", reason: "r2")], at: t0, by: "op")
        #expect(second.map(\.generation) == [2])
        let a = try #require(try await store.desired(agentID: "a"))
        #expect(a.version == "2" && a.generation == 2 && a.planID == "p" && a.updatedBy == "op")
        #expect(try await store.desired(model: "m", version: "1").map(\.agentID) == ["b"])
        #expect(try await store.desired(agentID: "zzz") == nil)
    }

    static func observed(_ store: any ControlPlaneStore) async throws {
        let o = ObservedRecord(agentID: "a", model: "m", version: "2", generation: 2, status: .failed, error: "boom", observedAt: t0, receivedAt: t0)
        try await store.putObserved(o)
        #expect(try await store.observed(agentID: "a") == o)
        var o2 = o
        o2.status = .applied
        o2.error = nil
        try await store.putObserved(o2)
        #expect(try await store.observed(agentID: "a") == o2)
    }

    static func audit(_ store: any ControlPlaneStore) async throws {
        for i in 1...3 {
            try await store.appendAudit(AuditEntry(at: t0, actor: "me (admin)", tokenID: "tok", action: "x.\(i)", target: "t", detail: ["i": "\(i)"]))
        }
        let all = try await store.audit(after: 0, limit: 10)
        #expect(all.map(\.action) == ["x.3", "x.2", "x.1"])
        #expect(all.map(\.sequence) == [3, 2, 1])
        #expect(all[0].detail == ["i": "3"])
        #expect(try await store.audit(after: 1, limit: 1).map(\.action) == ["x.3"])
    }

    static func prune(_ store: any ControlPlaneStore) async throws {
        try await store.upsertAgent(agent(Fixtures.agentID))
        _ = try await store.ingest([try item(Fixtures.report(index: 0), receivedAt: t0), try item(Fixtures.report(index: 5), receivedAt: t0.addingTimeInterval(600))])
        #expect(try await store.pruneReports(receivedBefore: t0.addingTimeInterval(1)) == 1)
        #expect(try await store.pruneRollups(before: t0.addingTimeInterval(1)) == 1)
        #expect(try await store.rollups(RollupQuery(from: t0, to: t0.addingTimeInterval(3600))).count == 1)
    }
}
