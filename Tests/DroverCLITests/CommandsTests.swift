import ArgumentParser
import DroverAPI
import DroverCLI
import Foundation
import Synchronization
import Testing

/// A fake control plane: answers by "METHOD /path" and records the requests it saw.
final class FakeControlPlane: Sendable {
    let routes: [String: TransportResponse]
    let seen = Mutex<[TransportRequest]>([])

    init(_ routes: [String: TransportResponse]) { self.routes = routes }

    var client: DroverClient {
        DroverClient(transport: ClosureTransport { [self] request in
            self.seen.withLock { $0.append(request) }
            let path = request.url.replacingOccurrences(of: "http://cp.test", with: "")
            let bare = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
            let key = "\(request.method) \(bare)"
            return self.routes["\(request.method) \(path)"] ?? self.routes[key]
                ?? TransportResponse(status: 404, text: #"{"error":{"code":"not_found","message":"no route \#(key)"}}"#)
        }, baseURL: "http://cp.test", token: "t0k")
    }

    var requests: [TransportRequest] { seen.withLock { $0 } }
}

func json(_ status: Int, _ text: String) -> TransportResponse {
    TransportResponse(status: status, headers: ["Content-Type": "application/json"], text: text)
}

func json(_ text: String) -> TransportResponse { json(200, text) }

let now = RFC3339.parse("2026-11-29T05:00:00Z")!
let sha1 = String(repeating: "a", count: 64)
let sha2 = String(repeating: "b", count: 64)

let versionsBody = """
    {"versions": [
      {"schema_version": 1, "model": "ranker", "version": "2", "artifact": {"uri": "file:///m/2", "sha256": "\(sha2)"},
       "footprint": {"precision": "int8", "bytes": 10000, "parameter_count": 10000},
       "lineage": {"derived_from": "1", "method": "quantize", "parameters": {"bits": "8"}}, "status": "registered",
       "created_at": "2026-11-29T04:10:00Z"},
      {"schema_version": 1, "model": "ranker", "version": "1", "artifact": {"uri": "file:///m/1", "sha256": "\(sha1)"},
       "footprint": {"precision": "float32", "bytes": 40000, "parameter_count": 10000}, "status": "stable",
       "aliases": ["stable"], "reference_profile_digest": "sha256:00", "created_at": "2026-11-29T04:00:00Z"}
    ]}
    """

@Suite("droverctl control-plane commands against a fake transport")
struct CommandsTests {
    @Test("versions list prints an aligned table sorted by version with the compression ratio against the parent")
    func versionsTable() async throws {
        let fake = FakeControlPlane(["GET /v1/versions": json(versionsBody)])
        let command = try VersionsList.parse([])
        let text = try await command.output(client: fake.client, now: now)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("MODEL   VERSION  STATUS      ALIASES  PRECISION"))
        #expect(lines[1].hasPrefix("ranker  1        stable      stable   float32"))
        #expect(lines[2].contains("1 (quantize)"))
        #expect(lines[2].contains("4.00×"))
        // Columns line up: every row has the STATUS column at the same offset.
        let offset = lines[0].range(of: "STATUS")!.lowerBound.utf16Offset(in: lines[0])
        #expect(lines.dropFirst().allSatisfy { $0.dropFirst(offset).hasPrefix("stable") || $0.dropFirst(offset).hasPrefix("registered") })
    }

    @Test("versions list --json prints {\"versions\": [...]} with sorted keys and passes --model as a query")
    func versionsJSON() async throws {
        let fake = FakeControlPlane(["GET /v1/versions": json(versionsBody)])
        let text = try await VersionsList.parse(["--json", "--model", "ranker"]).output(client: fake.client, now: now)
        struct Envelope: Decodable { var versions: [ModelVersion] }
        let decoded = try DroverJSON.decode(Envelope.self, from: Array(text.utf8))
        #expect(decoded.versions.map(\.version) == ["1", "2"])
        #expect(text.hasPrefix("{\n  \"versions\" : ["))
        #expect(fake.requests.first?.url == "http://cp.test/v1/versions?model=ranker")
        #expect(fake.requests.first?.bearerToken == "t0k")
    }

    @Test("versions show prints the lineage and the compression ratio from the lineage endpoint")
    func versionsShow() async throws {
        let fake = FakeControlPlane([
            "GET /v1/models/ranker/versions/2": json(
                """
                {"schema_version": 1, "model": "ranker", "version": "2", "artifact": {"uri": "file:///m/2", "sha256": "\(sha2)"},
                 "footprint": {"precision": "int8", "bytes": 10000, "parameter_count": 10000},
                 "lineage": {"derived_from": "1", "method": "quantize", "parameters": {"bits": "8"}}, "status": "registered"}
                """),
            "GET /v1/models/ranker/versions/2/lineage": json(
                """
                {"model": "ranker",
                 "version": {"version": "2", "derived_from": "1", "method": "quantize", "status": "registered",
                             "footprint": {"precision": "int8", "bytes": 10000}, "compression_ratio": 4.0, "parameter_ratio": 1.0, "depth": 0},
                 "ancestors": [{"version": "1", "status": "stable", "footprint": {"precision": "float32", "bytes": 40000}, "depth": -1}],
                 "descendants": []}
                """),
        ])
        let text = try await VersionsShow.parse(["ranker", "2"]).output(client: fake.client, now: now)
        #expect(text.contains("derived from     1 by quantize (bits=8)"))
        #expect(text.contains("compression      4.00× smaller than 1 (bytes)"))
        #expect(text.contains("lineage:"))
        #expect(text.contains("  1        parent"))
        #expect(text.contains("  2        this      quantize of 1"))
    }

    @Test("versions show falls back to the parent's record when the control plane has no lineage endpoint")
    func versionsShowFallback() async throws {
        let fake = FakeControlPlane([
            "GET /v1/models/ranker/versions/2": json(
                """
                {"schema_version": 1, "model": "ranker", "version": "2", "artifact": {"uri": "u", "sha256": "\(sha2)"},
                 "footprint": {"precision": "int8", "bytes": 10000}, "lineage": {"derived_from": "1", "method": "quantize", "parameters": {}}}
                """),
            "GET /v1/models/ranker/versions/1": json(
                """
                {"schema_version": 1, "model": "ranker", "version": "1", "artifact": {"uri": "u", "sha256": "\(sha1)"},
                 "footprint": {"precision": "float32", "bytes": 40000}}
                """),
        ])
        let text = try await VersionsShow.parse(["ranker", "2", "--json"]).output(client: fake.client, now: now)
        #expect(text.contains("\"compression_ratio\" : 4"))
    }

    @Test("versions register builds the document from flags and sends lineage and footprint")
    func registerFlags() async throws {
        let fake = FakeControlPlane(["POST /v1/versions": json(201, "{}")])
        let command = try VersionsRegister.parse([
            "--model", "ranker", "--version", "3", "--artifact-uri", "file:///m/3", "--sha256", sha1, "--derived-from", "1",
            "--method", "prune", "--param", "sparsity=0.5", "--precision", "float32", "--bytes", "20000", "--metric", "ndcg_at_10=0.7",
        ])
        let doc = try command.document()
        #expect(doc.lineage == Lineage(derivedFrom: "1", method: .prune, parameters: ["sparsity": "0.5"]))
        #expect(doc.footprint?.bytes == 20000)
        #expect(doc.offlineMetrics == ["ndcg_at_10": 0.7])
        _ = try? await command.output(client: fake.client, now: now)
        let sent = try #require(fake.requests.first?.body)
        #expect(try DroverJSON.decode(ModelVersion.self, from: sent).version == "3")
    }

    @Test("versions register reads YAML files: numbers stay strings where the contract wants strings")
    func registerYAML() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("drover-v-\(UUID().uuidString).yaml")
        try """
            # ranker int8
            model: ranker
            version: 2
            artifact:
              uri: "s3://models/ranker/2"   # quoted
              sha256: \(sha2)
            footprint: {precision: int8, parameter_count: 10000, bytes: 10000}
            offline_metrics:
              ndcg_at_10: 0.70
            lineage:
              derived_from: 1
              method: quantize
              parameters:
                bits: 8
            inputs:
              - name: features
                datatype: FP32
                shape: [-1, 8]
            """.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let doc = try VersionsRegister.parse(["--file", url.path]).document()
        #expect(doc.version == "2")
        #expect(doc.artifact.uri == "s3://models/ranker/2")
        #expect(doc.lineage?.derivedFrom == "1")
        #expect(doc.lineage?.parameters == ["bits": "8"])
        #expect(doc.footprint == ModelFootprint(precision: "int8", parameterCount: 10000, bytes: 10000))
        #expect(doc.offlineMetrics["ndcg_at_10"] == 0.70)
        #expect(doc.inputs == [TensorSpec(name: "features", datatype: "FP32", shape: [-1, 8])])
    }

    @Test("versions register names the missing field of a file and sends nothing")
    func registerMissingField() async throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("drover-v-\(UUID().uuidString).json")
        try #"{"model": "ranker", "version": "1"}"#.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let fake = FakeControlPlane([:])
        let error = await #expect(throws: CLIError.self) {
            try await VersionsRegister.parse(["--file", url.path]).output(client: fake.client, now: now)
        }
        #expect(error?.field == "artifact")
        #expect(error?.message.contains("artifact is missing") == true)
        #expect(fake.requests.isEmpty)
    }

    @Test("agents list shows versions, state, last seen and labels")
    func agentsTable() async throws {
        let fake = FakeControlPlane([
            "GET /v1/agents": json(
                """
                {"agents": [
                  {"agent_id": "b/ranker-0", "model": "ranker", "labels": {"zone": "us-1"}, "version": "1", "state": "stale",
                   "last_seen": "2026-11-29T04:58:00Z"},
                  {"agent_id": "a/ranker-0", "model": "ranker", "labels": {"zone": "eu-1", "pool": "search"}, "version": "2",
                   "desired_version": "2", "state": "active", "last_seen": "2026-11-29T04:59:55Z"}]}
                """)
        ])
        let text = try await AgentsList.parse([]).output(client: fake.client, now: now)
        #expect(
            text == """
                AGENT       MODEL   VERSION  DESIRED  STATE   LAST SEEN  LABELS
                a/ranker-0  ranker  2        2        active  5s ago     pool=search,zone=eu-1
                b/ranker-0  ranker  1        -        stale   2m ago     zone=us-1
                """)
    }

    @Test("fleet status shows agents, health per zone and the drifted features")
    func fleetStatus() async throws {
        let fake = FakeControlPlane([
            "GET /v1/fleet/health": json(
                """
                {"from": "2026-11-29T04:45:00Z", "to": "2026-11-29T05:00:00Z", "groups": [
                  {"model": "ranker", "version": "1", "zone": "eu-1", "reports": 12, "requests": 2400, "errors": 0, "error_rate": 0,
                   "latency_ms": {"count": 2400, "p50": 3.1, "p90": 6, "p99": 9.8},
                   "validation": {"source": "golden_set", "n": 200, "metrics": {"ndcg_at_10": 0.712, "roc_auc": 0.78}},
                   "drift": [{"name": "price", "role": "feature", "kind": "numeric", "n": 2400, "score": {"psi": 0.31, "verdict": "drift"}},
                             {"name": "brand", "role": "feature", "kind": "categorical", "n": 2400, "score": {"psi": 0.12, "verdict": "warn"}},
                             {"name": "ctr", "role": "feature", "kind": "numeric", "n": 2400, "score": {"psi": 0.01, "verdict": "ok"}}]}]}
                """),
            "GET /v1/agents": json(
                #"{"agents": [{"agent_id": "a", "model": "ranker", "labels": {"zone": "eu-1"}, "version": "1", "state": "active"}]}"#),
        ])
        let text = try await FleetStatus.parse(["--since", "15m"]).output(client: fake.client, now: now)
        #expect(text.hasPrefix("agents: 1 (1 active, 0 stale, 0 lost) · window 15m"))
        #expect(text.contains("ranker  1        eu-1"))
        #expect(text.contains("ndcg_at_10=0.712 roc_auc=0.780"))
        #expect(text.contains("1/3 drift, 1 warn"))
        #expect(text.contains("drifted features:\n  ranker/1 eu-1: price (psi 0.31)"))
        #expect(fake.requests.first?.url.removingPercentEncoding == "http://cp.test/v1/fleet/health?from=2026-11-29T04:45:00Z")
    }

    @Test("--since accepts durations and RFC 3339 times and rejects anything else", arguments: [
        ("30s", 30.0), ("15m", 900.0), ("2h", 7200.0), ("1d", 86400.0), ("2026-11-29T04:00:00Z", 3600.0),
    ])
    func since(text: String, secondsBack: Double) throws {
        #expect(try FleetStatus.parseSince(text, now: now) == now.addingTimeInterval(-secondsBack))
    }

    @Test("--since with garbage is a usage error naming the flag")
    func sinceBad() {
        #expect(throws: CLIError.self) { try FleetStatus.parseSince("yesterday", now: now) }
    }

    @Test("alerts list --json and --status")
    func alerts() async throws {
        let fake = FakeControlPlane([
            "GET /v1/alerts": json(
                """
                {"alerts": [{"fingerprint": "f1", "rule": "feature_drift", "severity": "warning", "status": "firing",
                  "labels": {"model": "ranker", "feature": "price"}, "annotations": {"summary": "price drifted (psi 0.31)"},
                  "starts_at": "2026-11-29T04:50:00Z"}]}
                """)
        ])
        let table = try await AlertsList.parse(["--status", "firing"]).output(client: fake.client, now: now)
        #expect(table.contains("firing  warning   feature_drift  2026-11-29T04:50:00Z (10m)"))
        #expect(table.contains("price drifted (psi 0.31)"))
        #expect(fake.requests.first?.url == "http://cp.test/v1/alerts?status=firing")
        let text = try await AlertsList.parse(["--json"]).output(client: fake.client, now: now)
        #expect(text.contains("\"alerts\" : ["))
        #expect(text.contains("\"starts_at\" : \"2026-11-29T04:50:00Z\""))
        await #expect(throws: CLIError.self) { try await AlertsList.parse(["--status", "open"]).output(client: fake.client, now: now) }
    }

    @Test("tokens create prints only the secret; tokens list never shows secrets")
    func tokens() async throws {
        let fake = FakeControlPlane([
            "POST /v1/tokens": json(201, #"{"id": "tok_1", "name": "ops", "role": "operator", "token": "drv_secret"}"#),
            "GET /v1/tokens": json(
                #"{"tokens": [{"id": "tok_1", "name": "ops", "role": "operator", "created_at": "2026-11-29T04:00:00Z", "created_by": "admin"}]}"#),
        ])
        #expect(try await TokensCreate.parse(["--role", "operator", "--name", "ops"]).output(client: fake.client, now: now) == "drv_secret")
        let sent = try DroverJSON.decode(TokenCreateRequest.self, from: try #require(fake.requests.first?.body))
        #expect(sent == TokenCreateRequest(name: "ops", role: "operator"))
        let list = try await TokensList.parse([]).output(client: fake.client, now: now)
        #expect(list.contains("tok_1  ops   operator  -      2026-11-29T04:00:00Z  admin  -"))
        #expect(!list.contains("drv_secret"))
    }

    @Test("tokens create with a role the contract does not know is refused before sending")
    func tokenBadRole() async throws {
        let fake = FakeControlPlane([:])
        let error = await #expect(throws: CLIError.self) {
            try await TokensCreate.parse(["--role", "agent"]).output(client: fake.client, now: now)
        }
        #expect(error?.field == "role")
        #expect(fake.requests.isEmpty)
    }

    @Test("desired set sends the selector and reason and lists the agents it changed")
    func desiredSet() async throws {
        let fake = FakeControlPlane([
            "PUT /v1/desired": json(
                """
                {"desired": [{"schema_version": 1, "agent_id": "a", "model": "ranker", "version": "2", "generation": 3, "reason": "canary"}]}
                """)
        ])
        let text = try await DesiredSet.parse([
            "--model", "ranker", "--version", "2", "--selector", "zone=eu-1,pool=search", "--reason", "canary",
        ]).output(client: fake.client, now: now)
        #expect(text.hasPrefix("ranker → 2 on 1 agent (canary)"))
        let sent = try DroverJSON.decode(DesiredStateUpdate.self, from: try #require(fake.requests.first?.body))
        #expect(sent.selector == ["zone": "eu-1", "pool": "search"])
    }

    @Test("versions profile builds quantile bins for numbers and top categories plus __other__")
    func profile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("drover-p-\(UUID().uuidString).csv")
        var csv = "price,brand,label,score\n"
        for i in 0..<100 { csv += "\(i),\(["a", "b", "c"][i % 3]),\(i % 2),0.\(i % 10)\n" }
        try csv.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let profile = try VersionsProfile.parse(["ranker", "1", "--from-csv", url.path, "--bins", "4", "--top", "2"]).profile()
        #expect(profile.features.map(\.name) == ["price", "brand"])
        #expect(profile.features[0].edges?.count == 3)
        #expect(profile.features[0].counts?.reduce(0, +) == 100)
        #expect(profile.features[1].categories == ["a", "b"])
        #expect(profile.features[1].counts == [34, 33, 33])
        #expect(profile.outputs.map(\.name) == ["score"])
        try profile.validate()
    }
}

@Suite("droverctl explains failures: unreachable, 401, 403, field errors")
struct CommandErrorTests {
    @Test("an unreachable control plane names the URL and how to start it")
    func unreachable() async throws {
        let client = DroverClient(
            transport: ClosureTransport { request in
                throw TransportError(kind: .connectionRefused, url: request.url, method: request.method, message: "Connection refused")
            }, baseURL: "http://127.0.0.1:9")
        let error = await #expect(throws: CLIError.self) { try await AgentsList.parse([]).output(client: client, now: now) }
        #expect(error?.isUnreachable == true)
        #expect(error?.message.hasPrefix("cannot reach the control plane at http://127.0.0.1:9 — is it running? (`drover-controlplane serve`)") == true)
        #expect(error?.exitCode == 1)
    }

    @Test("401 and 403 say what is wrong with the token and what to do", arguments: [401, 403])
    func auth(status: Int) async throws {
        let code = status == 401 ? "unauthorized" : "forbidden"
        let fake = FakeControlPlane([
            "POST /v1/tokens": json(status, #"{"error": {"code": "\#(code)", "message": "the server said no"}}"#)
        ])
        let error = await #expect(throws: CLIError.self) {
            try await TokensCreate.parse(["--role", "viewer"]).output(client: fake.client, now: now)
        }
        #expect(error?.status == status)
        #expect(error?.message.contains("the server said no") == true)
        if status == 401 {
            #expect(error?.isUnauthorized == true)
            #expect(error?.message.contains("--token or DROVER_TOKEN") == true)
        } else {
            #expect(error?.isForbidden == true)
            #expect(error?.message.contains("needs a token with the admin role") == true)
        }
    }

    @Test("a 400 carries the server's message and field and says to fix that field")
    func fieldError() async throws {
        let fake = FakeControlPlane([
            "PUT /v1/desired": json(400, #"{"error": {"code": "invalid_field", "message": "is not registered", "field": "version"}}"#)
        ])
        let error = await #expect(throws: CLIError.self) {
            try await DesiredSet.parse(["--model", "ranker", "--version", "9", "--reason", "x"]).output(client: fake.client, now: now)
        }
        #expect(error?.field == "version")
        #expect(error?.message == "the control plane rejected the request (400 invalid request: is not registered) (field version) — fix version and run the command again")
    }

    @Test("--server and --token fall back to DROVER_SERVER and DROVER_TOKEN, then to the default URL")
    func environment() throws {
        let options = try ControlPlaneOptions.parse([])
        #expect(options.resolvedServer(environment: [:]) == "http://127.0.0.1:8480")
        #expect(options.resolvedServer(environment: ["DROVER_SERVER": "10.0.0.1:80/"]) == "http://10.0.0.1:80")
        #expect(options.resolvedToken(environment: ["DROVER_TOKEN": "x"]) == "x")
        let flags = try ControlPlaneOptions.parse(["--server", "http://h:1", "--token", "y"])
        #expect(flags.resolvedServer(environment: ["DROVER_SERVER": "http://other"]) == "http://h:1")
        #expect(flags.resolvedToken(environment: ["DROVER_TOKEN": "x"]) == "y")
    }
}
