import DroverAPI
import DroverTestKit
import Foundation
import Synchronization
import Testing

/// A fake control plane: records requests and answers from a closure.
final class FakeControlPlane: Sendable {
    // Guarded by the Mutex.
    private let recorded = Mutex<[TransportRequest]>([])
    private let answer: @Sendable (TransportRequest) throws -> TransportResponse

    init(_ answer: @escaping @Sendable (TransportRequest) throws -> TransportResponse) { self.answer = answer }

    var requests: [TransportRequest] { recorded.withLock { $0 } }
    var last: TransportRequest? { requests.last }

    func client(token: String? = "drv_operator", base: String = "http://127.0.0.1:7070/") -> DroverClient {
        DroverClient(
            transport: ClosureTransport { request in
                self.recorded.withLock { $0.append(request) }
                return try self.answer(request)
            }, baseURL: base, token: token)
    }

    static func json(_ value: some Encodable, status: Int = 200) -> TransportResponse {
        TransportResponse(
            status: status, headers: ["Content-Type": "application/json"], body: try! DroverJSON.encode(value))
    }

    static func error(_ status: Int, code: String, message: String, field: String? = nil) -> TransportResponse {
        json(APIErrorBody(code: code, message: message, field: field), status: status)
    }
}

@Suite("DroverClient over a fake transport")
struct DroverClientTests {
    @Test("postReport sends the report as JSON with the bearer token and returns the ack")
    func postReport() async throws {
        let report = Fixtures.report()
        let fake = FakeControlPlane { _ in FakeControlPlane.json(ReportAck(accepted: [report.id], duplicates: [])) }
        let ack = try await fake.client().postReport(report)
        #expect(ack.accepted == [report.id])
        let request = try #require(fake.last)
        #expect(request.method == .post)
        #expect(request.url == "http://127.0.0.1:7070/v1/reports")
        #expect(request.bearerToken == "drv_operator")
        #expect(request.headers["Content-Type"] == "application/json")
        #expect(try DroverJSON.decode(Report.self, from: request.body ?? []) == report)
    }

    @Test("postReports sends a batch and decodes accepted and duplicate ids")
    func postReports() async throws {
        let reports = (0..<3).map { Fixtures.report(index: $0) }
        let fake = FakeControlPlane { _ in
            FakeControlPlane.json(ReportAck(accepted: [reports[0].id, reports[2].id], duplicates: [reports[1].id]))
        }
        let ack = try await fake.client().postReports(reports)
        #expect(ack.duplicates == [reports[1].id])
        #expect(fake.last?.url.hasSuffix("/v1/reports/batch") == true)
        #expect(try DroverJSON.decode(ReportBatch.self, from: fake.last?.body ?? []).reports == reports)
    }

    @Test("An invalid report is refused locally, naming the field, and nothing is sent")
    func invalidReportNotSent() async throws {
        var report = Fixtures.report()
        report.latencyMs?.histogram.counts = [1]
        let fake = FakeControlPlane { _ in
            Issue.record("must not send"); return TransportResponse(status: 500)
        }
        await #expect { try await fake.client().postReport(report) } throws: { error in
            let error = error as! DroverClientError
            return error.isInvalidRequest && error.field == "latency_ms.histogram.counts"
                && error.description.contains("not sent")
        }
        #expect(fake.requests.isEmpty)
    }

    @Test("A 422 carries the server's message and field, and tells the user to fix the field")
    func serverValidationError() async throws {
        let fake = FakeControlPlane { _ in
            FakeControlPlane.error(422, code: "invalid_field", message: "must not be negative", field: "health.probes")
        }
        await #expect { try await fake.client().postReport(Fixtures.report()) } throws: { error in
            let error = error as! DroverClientError
            return error.isHTTPError && error.status == 422 && error.serverCode == "invalid_field"
                && error.field == "health.probes" && error.message == "must not be negative"
                && error.description.contains("fix health.probes") && !error.isTransient
        }
    }

    struct StatusCase: Sendable, CustomTestStringConvertible {
        let status: Int
        let advice: String
        let transient: Bool
        var testDescription: String { "HTTP \(status)" }
    }

    @Test(
        "Error statuses explain what to do",
        arguments: [
            StatusCase(status: 401, advice: "token", transient: false),
            StatusCase(status: 403, advice: "role", transient: false),
            StatusCase(status: 404, advice: "check the ids", transient: false),
            StatusCase(status: 409, advice: "conflicts", transient: false),
            StatusCase(status: 413, advice: "too large", transient: false),
            StatusCase(status: 429, advice: "retry", transient: true),
            StatusCase(status: 503, advice: "retry later", transient: true),
        ])
    func statusAdvice(_ testCase: StatusCase) async throws {
        let fake = FakeControlPlane { _ in TransportResponse(status: testCase.status, text: "plain text body") }
        await #expect { try await fake.client().listAgents() } throws: { error in
            let error = error as! DroverClientError
            return error.status == testCase.status && error.description.contains(testCase.advice)
                && error.description.contains("plain text body") && error.isTransient == testCase.transient
                && error.isNotFound == (testCase.status == 404)
        }
    }

    @Test("Transport failures are wrapped with the operation and stay transient when they are")
    func transportFailure() async throws {
        let client = DroverClient(
            transport: ClosureTransport { request in
                throw TransportError(kind: .connectionRefused, url: request.url, method: request.method)
            }, baseURL: "http://127.0.0.1:1")
        await #expect { try await client.listVersions() } throws: { error in
            let error = error as! DroverClientError
            return error.isTransportError && error.isTransient && error.transportError?.kind == .connectionRefused
                && error.description.hasPrefix("GET /v1/versions: could not connect")
        }
    }

    @Test("Cancellation is reported as cancelled")
    func cancelled() async throws {
        let client = DroverClient(transport: ClosureTransport { _ in throw CancellationError() }, baseURL: "http://x")
        await #expect { try await client.listAlerts() } throws: { ($0 as! DroverClientError).isCancelled }
    }

    @Test("A 2xx body that is not the promised document is an invalid response")
    func invalidResponse() async throws {
        let fake = FakeControlPlane { _ in TransportResponse(status: 200, text: "{\"hello\": 1}") }
        await #expect { try await fake.client().getVersion(model: "ranker", version: "7") } throws: { error in
            let error = error as! DroverClientError
            return error.isInvalidResponse && error.description.contains("cannot read")
        }
    }

    @Test("desiredState long-polls with after and wait, and extends the timeout by the wait")
    func desiredStateLongPoll() async throws {
        let state = Fixtures.desiredState(generation: 5)
        let fake = FakeControlPlane { _ in FakeControlPlane.json(state) }
        let got = try await fake.client().desiredState(agent: "node-a/ranker-0", after: 4, wait: .seconds(25))
        #expect(got == state)
        let request = try #require(fake.last)
        #expect(request.url == "http://127.0.0.1:7070/v1/agents/node-a%2Franker-0/desired?after=4&wait=25")
        #expect(request.timeout == .seconds(55))
    }

    @Test("desiredState returns nil when nothing newer arrived", arguments: [204, 304])
    func desiredStateNothingNew(status: Int) async throws {
        let fake = FakeControlPlane { _ in TransportResponse(status: status) }
        #expect(try await fake.client().desiredState(agent: "a", after: nil, wait: .seconds(1)) == nil)
        #expect(fake.last?.url.hasSuffix("/v1/agents/a/desired?wait=1") == true)
    }

    @Test("desiredState for an unknown agent is a not-found error")
    func desiredStateUnknownAgent() async throws {
        let fake = FakeControlPlane { _ in
            FakeControlPlane.error(404, code: "not_found", message: "agent \"a\" is not enrolled")
        }
        await #expect { try await fake.client().desiredState(agent: "a") } throws: { error in
            let error = error as! DroverClientError
            return error.isNotFound && error.description.contains("not enrolled")
        }
    }

    @Test("enroll uses the enrol token instead of the client's token")
    func enroll() async throws {
        let fake = FakeControlPlane { _ in
            FakeControlPlane.json(EnrollResponse(agentID: "node-a/ranker-0", token: "drv_agent"))
        }
        let response = try await fake.client(token: nil).enroll(
            EnrollRequest(agentID: "node-a/ranker-0", model: "ranker", labels: ["zone": "eu-1"]),
            enrollToken: "drv_enroll")
        #expect(response.token == "drv_agent")
        #expect(fake.last?.bearerToken == "drv_enroll")
        #expect(fake.last?.url == "http://127.0.0.1:7070/v1/agents/enroll")
    }

    @Test("heartbeat and putObserved address the agent's own paths")
    func agentPaths() async throws {
        let fake = FakeControlPlane { _ in TransportResponse(status: 204) }
        let client = fake.client()
        try await client.heartbeat(Heartbeat(agentID: "node-a/ranker-0", version: "7", spoolDepth: 0))
        #expect(fake.last?.url.hasSuffix("/v1/agents/node-a%2Franker-0/heartbeat") == true)
        #expect(fake.last?.method == .post)
        try await client.putObserved(
            ObservedState(
                agentID: "node-a/ranker-0", model: "ranker", version: "7", generation: 2, status: .applied,
                observedAt: Fixtures.windowStart))
        #expect(fake.last?.url.hasSuffix("/v1/agents/node-a%2Franker-0/observed") == true)
        #expect(fake.last?.method == .put)
    }

    @Test("Lists decode from a bare array or a wrapping object")
    func lists() async throws {
        let version = Fixtures.modelVersion()
        let alert = Fixtures.alert()
        let agent = AgentInfo(
            agentID: "a", model: "ranker", labels: [:], version: "7", desiredVersion: nil, state: .active, lastSeen: nil
        )
        let fake = FakeControlPlane { request in
            if request.url.contains("/v1/versions") { return FakeControlPlane.json([version]) }
            if request.url.contains("/v1/alerts") { return FakeControlPlane.json(["alerts": [alert]]) }
            return FakeControlPlane.json(["items": [agent]])
        }
        let client = fake.client()
        #expect(try await client.listVersions(model: "ranker") == [version])
        #expect(fake.last?.url.hasSuffix("/v1/versions?model=ranker") == true)
        #expect(try await client.listAlerts(status: .firing) == [alert])
        #expect(fake.last?.url.hasSuffix("/v1/alerts?status=firing") == true)
        #expect(try await client.listAgents() == [agent])
    }

    @Test("Registry calls: register, get, profile put and get")
    func registry() async throws {
        let version = Fixtures.modelVersion()
        let profile = Fixtures.referenceProfile()
        let fake = FakeControlPlane { request in
            switch (request.method, request.url) {
            case (.post, let url) where url.hasSuffix("/v1/versions"):
                return FakeControlPlane.json(version, status: 201)
            case (.get, let url) where url.hasSuffix("/v1/models/ranker/versions/7"):
                return FakeControlPlane.json(version)
            case (.put, let url) where url.hasSuffix("/profile"):
                return FakeControlPlane.json(["digest": Fixtures.referenceProfileDigest])
            case (.get, let url) where url.hasSuffix("/v1/models/ranker/versions/7/profile"):
                return FakeControlPlane.json(profile)
            default: return FakeControlPlane.error(404, code: "not_found", message: "no such version")
            }
        }
        let client = fake.client()
        #expect(try await client.registerVersion(version) == version)
        #expect(try await client.getVersion(model: "ranker", version: "7") == version)
        #expect(try await client.putReferenceProfile(profile) == Fixtures.referenceProfileDigest)
        #expect(try await client.getReferenceProfile(model: "ranker", version: "7") == profile)
        #expect(try await client.getReferenceProfile(model: "ranker", version: "8") == nil)
        await #expect { try await client.getVersion(model: "ranker", version: "8") } throws: { error in
            let error = error as! DroverClientError
            return error.isNotFound && error.description.contains("no such version")
        }
    }

    @Test("fleetHealth passes filters as query items and decodes entries; the raw form returns the bytes")
    func fleetHealth() async throws {
        let body = #"""
            {"from":"2026-11-29T04:00:00Z","to":"2026-11-29T04:05:00Z","groups":[{"model":"ranker","version":"7","zone":"eu-1",
            "reports":15,"requests":18000,"errors":12,"error_rate":0.00066,"errors_by_kind":{"timeout":12},"probes":300,
            "probe_failures":0,"failovers":0,"latency_ms":{"count":18000,"p50":3.0,"p90":6.1,"p99":9.9},
            "validation":{"source":"golden_set","n":600,"metrics":{"roc_auc":0.78}},
            "drift":[{"name":"price","role":"feature","kind":"numeric","n":18000,"counts":[1,2],"reference_counts":[1,2],
            "score":{"psi":0.03,"js_distance":0.05,"verdict":"ok"}}],"unmergeable":0}]}
            """#
        let fake = FakeControlPlane { _ in TransportResponse(status: 200, text: body) }
        let client = fake.client()
        let from = Fixtures.windowStart
        let snapshot = try await client.fleetHealth(model: "ranker", from: from)
        #expect(fake.last?.url.hasSuffix("/v1/fleet/health?model=ranker&from=2026-11-29T04:00:00Z") == true)
        let entry = try #require(snapshot.groups.first)
        #expect(entry.zone == "eu-1" && entry.reports == 15 && entry.errorRate == 0.00066)
        #expect(entry.latencyMs?.p99 == 9.9)
        #expect(entry.validation?.metrics["roc_auc"] == 0.78)
        #expect(entry.drift.first?.psi == 0.03 && entry.drift.first?.verdict == .ok)
        #expect(try await client.fleetHealthJSON() == Array(body.utf8))
    }

    @Test("setDesired puts the update and decodes the resulting states")
    func setDesired() async throws {
        let state = Fixtures.desiredState(version: "8", generation: 3)
        let fake = FakeControlPlane { _ in FakeControlPlane.json(["desired": [state]]) }
        let update = DesiredStateUpdate(selector: ["zone": "eu-1"], model: "ranker", version: "8", reason: "pin")
        #expect(try await fake.client().setDesired(update) == [state])
        #expect(fake.last?.method == .put)
        #expect(try DroverJSON.decode(DesiredStateUpdate.self, from: fake.last?.body ?? []) == update)
    }

    @Test("postTrainingSteps sends an array and refuses steps of another run")
    func trainingSteps() async throws {
        let fake = FakeControlPlane { _ in TransportResponse(status: 202) }
        let client = fake.client()
        let steps =
            (0..<3).map { Fixtures.trainingStep(runID: "run-1", step: $0) } + [
                Fixtures.trainingStep(runID: "run-1", step: 3, loss: .nan)
            ]
        try await client.postTrainingSteps(run: "run-1", steps)
        #expect(fake.last?.url.hasSuffix("/v1/training/runs/run-1/steps") == true)
        let sent = try DroverJSON.decode([TrainingStep].self, from: fake.last?.body ?? [])
        #expect(sent == steps)
        await #expect { try await client.postTrainingSteps(run: "run-2", steps) } throws: { error in
            (error as! DroverClientError).field == "[0].run_id"
        }
    }

    @Test("createToken posts name and role and returns the secret")
    func createToken() async throws {
        let fake = FakeControlPlane { _ in
            FakeControlPlane.json(
                TokenCreateResponse(id: "tok_1", name: "ci", role: "operator", token: "drv_s"), status: 201)
        }
        let created = try await fake.client().createToken(name: "ci", role: "operator")
        #expect(created.token == "drv_s")
        #expect(
            try DroverJSON.decode(TokenCreateRequest.self, from: fake.last?.body ?? [])
                == TokenCreateRequest(name: "ci", role: "operator"))
        await #expect { try await fake.client().createToken(name: "x", role: "agent") } throws: {
            ($0 as! DroverClientError).isInvalidRequest
        }
    }

    @Test("A base URL with a path prefix and trailing slashes is joined cleanly")
    func baseURLJoin() async throws {
        let fake = FakeControlPlane { _ in FakeControlPlane.json([AgentInfo]()) }
        _ = try await fake.client(base: "https://cp.example/drover//").listAgents(model: "rank er")
        #expect(fake.last?.url == "https://cp.example/drover/v1/agents?model=rank%20er")
        #expect(DroverClient.escapeQuery("a&b=c+d#e%f/g:h@i é") == "a%26b%3Dc%2Bd%23e%25f/g:h@i%20%C3%A9")
    }

    @Test("call reaches endpoints without a dedicated method, validating and decoding")
    func genericCall() async throws {
        let version = Fixtures.modelVersion(status: .retired)
        let fake = FakeControlPlane { _ in FakeControlPlane.json(version) }
        let client = fake.client()
        let path = APIPath.version(model: "ranker", version: "7") + "/retire"
        #expect(try await client.call(ModelVersion.self, .post, path) == version)
        #expect(fake.last?.url.hasSuffix("/v1/models/ranker/versions/7/retire") == true)
        #expect(fake.last?.body == nil)
        try await client.call(.put, "/v1/desired", body: DesiredStateUpdate(model: "ranker", version: "8", reason: "x"))
        #expect(fake.last?.headers["Content-Type"] == "application/json")
        await #expect {
            try await client.call(.put, "/v1/desired", body: DesiredStateUpdate(model: "", version: "8", reason: "x"))
        } throws: {
            ($0 as! DroverClientError).field == "model"
        }
    }
}
