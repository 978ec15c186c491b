import ControlPlaneCore
import ControlPlaneHTTP
import ControlPlaneSQLite
import DroverAPI
import DroverTestKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Schema checks before desired-state changes, and reports over a stale profile, over real HTTP and SQLite.
@Suite("HTTP schema check and profile integrity")
struct SchemaCheckRoutesTests {
    /// Version 7's packed numeric inputs plus `extra` tensors.
    static func version(_ id: String, extra: [TensorSpec]) -> ModelVersion {
        var v = Fixtures.modelVersion(version: id)
        v.inputs += extra
        return v
    }

    struct Audit: Decodable {
        struct Entry: Decodable {
            var action: String
            var detail: [String: String]
        }
        var entries: [Entry]
    }

    /// A SQLite-backed harness with agents a and b reporting version 7 in eu-1, c enrolled without reports.
    func harness(_ dir: TemporaryDirectory) async throws -> (HTTPHarness, [String: String]) {
        let h = try await HTTPHarness(store: try SQLiteControlPlaneStore(dataDirectory: dir.path))
        var tokens: [String: String] = [:]
        for id in ["a", "b", "c"] { tokens[id] = try await h.enrollAgent(id, zone: "eu-1") }
        return (h, tokens)
    }

    @Test("a version whose inputs the traffic lacks is refused with 409 per agent group, forced with an audit entry")
    func refuseAndForce() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let (h, agents) = try await harness(dir)
        let op = auth(h.tokens[.operator])
        try await h.app().test(.live) { client in
            for v in [
                Fixtures.modelVersion(),
                Self.version("8", extra: [TensorSpec(name: "new_feature", datatype: "FP32", shape: [-1, 1])]),
                Self.version("9", extra: [TensorSpec(name: "category", datatype: "INT64", shape: [-1, 1])]),
            ] {
                try await client.execute(uri: APIPath.versions, method: .post, headers: op, body: try body(v)) { #expect($0.status == .created) }
            }
            for (i, id) in ["a", "b"].enumerated() {
                let report = Fixtures.report(index: i, agentID: id)
                try await client.execute(uri: APIPath.reports, method: .post, headers: auth(agents[id]), body: try body(report)) {
                    #expect($0.status == .created)
                }
            }
            // The comparison on its own.
            try await client.execute(
                uri: APIPath.version(model: Fixtures.model, version: "8") + "/schema-check?selector=zone%3Deu-1", method: .get,
                headers: auth(h.tokens[.viewer])
            ) { response throws in
                #expect(response.status == .ok)
                let check = try decode(SchemaCheck.self, response)
                #expect(!check.compatible)
                #expect(check.selector == ["zone": "eu-1"])
                let group = try #require(check.groups.first)
                #expect(check.groups.count == 1)
                #expect(group.agents == ["a", "b"] && group.servedVersions == ["7"])
                #expect(group.source == ["reports", "served_version"])
                #expect(group.missing == ["new_feature"])
                #expect(group.extra == ["brand", "category", "country", "device", "hour_bucket"])
                #expect(check.unchecked.map(\.agentID) == ["c"])
            }
            // Refused: 409 with the usual error and the whole check; nothing changes.
            let update = DesiredStateUpdate(selector: ["zone": "eu-1"], model: Fixtures.model, version: "8", reason: "canary")
            try await client.execute(uri: APIPath.desired, method: .put, headers: op, body: try body(update)) { response throws in
                #expect(response.status == .conflict)
                let error = try apiError(response)
                #expect(error.code == "schema_mismatch" && error.field == "version")
                #expect(error.message.contains("missing new_feature") && error.message.contains("force"))
                struct Refusal: Decodable { var schemaCheck: SchemaCheck
                    enum CodingKeys: String, CodingKey { case schemaCheck = "schema_check" } }
                #expect(try decode(Refusal.self, response).schemaCheck.groups.first?.missing == ["new_feature"])
            }
            try await client.execute(uri: APIPath.desiredState(agent: "a") + "?after=0&wait=0", method: .get, headers: auth(agents["a"])) {
                #expect($0.status == .noContent)
            }
            // Category codes declared as an integer tensor accept categorical traffic.
            try await client.execute(
                uri: APIPath.version(model: Fixtures.model, version: "9") + "/schema-check", method: .get, headers: auth(h.tokens[.viewer])
            ) { response throws in
                #expect(try decode(SchemaCheck.self, response).compatible)
            }
            // Forced: applied, flagged in the answer and in the audit log.
            var forced = update
            forced.force = true
            try await client.execute(uri: APIPath.desired, method: .put, headers: op, body: try body(forced)) { response throws in
                #expect(response.status == .ok)
                let result = try decode(DesiredStateResult.self, response)
                #expect(result.forced == true)
                #expect(result.desired.map(\.agentID).sorted() == ["a", "b", "c"])
                #expect(result.schemaCheck?.compatible == false)
            }
            try await client.execute(uri: APIPath.audit, method: .get, headers: auth(h.tokens[.admin])) { response throws in
                let entry = try #require(try decode(Audit.self, response).entries.last { $0.action == "desired.set" })
                #expect(entry.detail["force"] == "true")
                #expect(entry.detail["schema_check"]?.hasPrefix("mismatch overridden: [a, b] missing new_feature") == true)
            }
            // A compatible version needs no force; the agent without reports is named, not blocking.
            let back = DesiredStateUpdate(selector: ["zone": "eu-1"], model: Fixtures.model, version: "7", reason: "back")
            try await client.execute(uri: APIPath.desired, method: .put, headers: op, body: try body(back)) { response throws in
                #expect(response.status == .ok)
                let result = try decode(DesiredStateResult.self, response)
                #expect(result.forced == false && result.schemaCheck?.compatible == true)
                #expect(result.schemaCheck?.unchecked.map(\.agentID) == ["c"])
            }
        }
    }

    @Test("a declared kind the traffic contradicts is a kind mismatch; the reference profile decides the kind")
    func kindMismatch() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let (h, agents) = try await harness(dir)
        let op = try await h.controlPlane.tokens.authenticate(h.tokens[.operator]!)
        _ = try await h.controlPlane.versions.register(Fixtures.modelVersion(), by: op)
        // Version 10 adds `brand` as text (categorical in the traffic too); 11 declares only `price`, as text.
        _ = try await h.controlPlane.versions.register(Self.version("10", extra: [TensorSpec(name: "brand", datatype: "BYTES", shape: [-1])]), by: op)
        var v11 = Self.version("11", extra: [])
        v11.inputs = [TensorSpec(name: "price", datatype: "BYTES", shape: [-1])]
        _ = try await h.controlPlane.versions.register(v11, by: op)
        let agent = try await h.controlPlane.tokens.authenticate(agents["a"]!)
        _ = try await h.controlPlane.ingest.ingest([.init(report: Fixtures.report(agentID: "a"))], by: agent)
        try await h.app().test(.live) { client in
            try await client.execute(
                uri: APIPath.version(model: Fixtures.model, version: "11") + "/schema-check?selector=zone=eu-1", method: .get,
                headers: auth(h.tokens[.viewer])
            ) { response throws in
                let check = try decode(SchemaCheck.self, response)
                #expect(!check.compatible)
                #expect(check.groups.first?.kindMismatches == [SchemaKindMismatch(name: "price", declared: [.categorical], observed: [.numeric])])
            }
            try await client.execute(
                uri: APIPath.version(model: Fixtures.model, version: "10") + "/schema-check", method: .get, headers: auth(h.tokens[.viewer])
            ) { response throws in
                #expect(try decode(SchemaCheck.self, response).compatible)  // brand is categorical in the traffic too
            }
            try await client.execute(
                uri: APIPath.version(model: Fixtures.model, version: "404") + "/schema-check", method: .get, headers: auth(h.tokens[.viewer])
            ) { #expect($0.status == .notFound) }
            try await client.execute(
                uri: APIPath.version(model: Fixtures.model, version: "10") + "/schema-check?selector=zone", method: .get,
                headers: auth(h.tokens[.viewer])
            ) { response throws in
                #expect(response.status == .badRequest)
                #expect(try apiError(response).field == "selector")
            }
        }
    }

    @Test("reports over another profile than the stored one are stored but left out of fleet drift, and shown")
    func profileDigestMismatch() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let (h, agents) = try await harness(dir)
        try await h.app().test(.live) { client in
            let op = auth(h.tokens[.operator])
            try await client.execute(uri: APIPath.versions, method: .post, headers: op, body: try body(Fixtures.modelVersion())) { #expect($0.status == .created) }
            var digest = ""
            try await client.execute(
                uri: APIPath.referenceProfile(model: Fixtures.model, version: Fixtures.version), method: .put, headers: op,
                body: try body(Fixtures.referenceProfile())
            ) { response throws in
                struct Digest: Decodable { var digest: String }
                digest = try decode(Digest.self, response).digest
            }
            #expect(digest.hasPrefix("sha256:") && digest != Fixtures.referenceProfileDigest)
            // a: drift over the stored profile; b: over a profile it cached before (the fixtures' digest).
            var current = Fixtures.report(index: 0, agentID: "a")
            current.drift?.referenceProfile = digest
            let stale = Fixtures.report(index: 1, agentID: "b", seed: 7)
            for (id, report) in [("b", stale), ("a", current)] {
                try await client.execute(uri: APIPath.reports, method: .post, headers: auth(agents[id]), body: try body(report)) {
                    #expect($0.status == .created)
                }
            }
            try await client.execute(
                uri: APIPath.fleetHealth + "?from=2026-11-29T04:00:00Z&to=2026-11-29T05:00:00Z", method: .get,
                headers: auth(h.tokens[.viewer])
            ) { response throws in
                let health = try decode(FleetHealth.self, response)
                let g = try #require(health.groups.first)
                #expect(g.reports == 2)
                #expect(g.profileMismatches == 1)
                #expect(g.mismatchedProfiles == [Fixtures.referenceProfileDigest: 1])
                #expect(g.referenceProfile == digest)
                let price = try #require(g.drift.first { $0.name == "price" })
                let expected = try #require(current.drift?.features.first { $0.name == "price" })
                #expect(price.n == expected.n)  // only a's counts
                if case .bins(let bins) = expected.counts { #expect(price.counts == bins) }
                #expect(price.referenceCounts != nil && price.score != nil)
                #expect(String(buffer: response.body).contains("\"profile_mismatches\":1"))
            }
        }
    }
}
