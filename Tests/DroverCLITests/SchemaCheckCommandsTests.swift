import ArgumentParser
import DroverAPI
import DroverCLI
import Foundation
import Testing

let schemaCheckBody = """
    {"model": "ranker", "version": "8", "selector": {"zone": "eu-1"}, "compatible": false,
     "declared": [{"name": "new_feature", "kinds": ["numeric", "categorical"]}, {"name": "price", "kinds": ["numeric"]}],
     "groups": [
       {"agents": ["a", "b"], "served_versions": ["7"], "source": ["reports", "served_version"], "compatible": false,
        "missing": ["new_feature"], "extra": ["brand"],
        "kind_mismatches": [{"name": "price", "declared": ["categorical"], "observed": ["numeric"]}]},
       {"agents": ["d"], "served_versions": ["8"], "source": ["reports"], "compatible": true, "missing": [], "extra": [], "kind_mismatches": []}],
     "unchecked": [{"agent_id": "c", "reason": "no reports yet; it does not block"}]}
    """

@Suite("droverctl schema checks, forced desired state and profile mismatches")
struct SchemaCheckCommandsTests {
    @Test("versions schema-check sends the selector and prints each group's missing, mismatched and extra features")
    func schemaCheck() async throws {
        let fake = FakeControlPlane(["GET /v1/models/ranker/versions/8/schema-check": json(schemaCheckBody)])
        let text = try await VersionsSchemaCheck.parse(["ranker", "8", "--selector", "zone=eu-1"]).output(client: fake.client, now: now)
        #expect(text.hasPrefix("ranker/8: inputs do NOT match the traffic of 2 agent(s)"))
        #expect(text.contains("FAIL a, b (serving 7; from reports + served_version)"))
        #expect(text.contains("     missing: new_feature"))
        #expect(text.contains("     kind: price is numeric, declared categorical"))
        #expect(text.contains("     extra (not blocking): brand"))
        #expect(text.contains("ok   d (serving 8; from reports)"))
        #expect(text.contains("skip c: no reports yet"))
        #expect(fake.requests.first?.url.removingPercentEncoding == "http://cp.test/v1/models/ranker/versions/8/schema-check?selector=zone=eu-1")
        let jsonText = try await VersionsSchemaCheck.parse(["ranker", "8", "--json"]).output(client: fake.client, now: now)
        #expect(try DroverJSON.decode(SchemaCheck.self, from: Array(jsonText.utf8)).groups.count == 2)
    }

    @Test("desired set --force sends force and says the change was forced; a refusal shows the server's reasons")
    func forcedDesired() async throws {
        let forced = FakeControlPlane([
            "PUT /v1/desired": json(
                #"{"desired": [{"schema_version": 1, "agent_id": "a", "model": "ranker", "version": "8", "generation": 4, "reason": "x"}], "forced": true, "schema_check": "#
                    + schemaCheckBody + "}")
        ])
        let text = try await DesiredSet.parse(["--model", "ranker", "--version", "8", "--reason", "x", "--force"])
            .output(client: forced.client, now: now)
        #expect(text.contains("FORCED past a failing schema check (audited)"))
        #expect(text.contains("missing: new_feature"))
        let sent = try DroverJSON.decode(DesiredStateUpdate.self, from: try #require(forced.requests.first?.body))
        #expect(sent.force == true)

        let refused = FakeControlPlane([
            "PUT /v1/desired": json(
                409,
                #"{"error": {"code": "schema_mismatch", "field": "version", "message": "ranker/8 declares inputs that the traffic of 2 selected agents does not match: [a, b] missing new_feature"}, "schema_check": "#
                    + schemaCheckBody + "}")
        ])
        let command = try DesiredSet.parse(["--model", "ranker", "--version", "8", "--reason", "x"])
        do {
            _ = try await command.output(client: refused.client, now: now)
            Issue.record("a 409 must fail the command")
        } catch {
            #expect(error.message.contains("[a, b] missing new_feature"))
            #expect(error.status == 409)
        }
        let plain = try DroverJSON.decode(DesiredStateUpdate.self, from: try #require(refused.requests.first?.body))
        #expect(plain.force == nil)
    }

    @Test("fleet status lists groups with reports over another reference profile")
    func profileMismatch() async throws {
        let fake = FakeControlPlane([
            "GET /v1/fleet/health": json(
                """
                {"groups": [{"model": "ranker", "version": "7", "zone": "eu-1", "reports": 10, "drift": [],
                  "reference_profile": "sha256:aaaa", "profile_mismatches": 3, "mismatched_profiles": {"sha256:9f2c4e1b7a0d3c5e8f6a": 3}}]}
                """),
            "GET /v1/agents": json(#"{"agents": []}"#),
        ])
        let text = try await FleetStatus.parse([]).output(client: fake.client, now: now)
        #expect(text.contains("reports over another reference profile than the version's"))
        #expect(text.contains("  ranker/7 eu-1: 3 of 10 report(s) over sha256:9f2c4e1b7a0d"))
    }
}
