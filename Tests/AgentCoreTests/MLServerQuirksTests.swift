import AgentCore
import DroverAPI
import Foundation
import Synchronization
import Testing

/// Replays bodies recorded from a real MLServer 1.7.1 (Tests/Fixtures/mlserver-1.7.1) with its name-level
/// load/unload: one model `ranker` with versions 1 and 2, both loaded or both unloaded.
final class RecordedMLServer: AgentHTTPClient {
    /// Where the recorded bodies live, next to this file in the source tree.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/mlserver-1.7.1")

    struct State {
        var loaded = true
        var requests: [String] = []
    }

    // The mutex guards the replay state and the request log.
    private let state = Mutex(State())
    /// Answers every inference with `infer-v2-no-outputs` whatever it asks for (a server that ignores `outputs`).
    let ignoresRequestedOutputs: Bool

    init(ignoresRequestedOutputs: Bool = false) { self.ignoresRequestedOutputs = ignoresRequestedOutputs }

    /// `METHOD path body` of every request, in order.
    var requests: [String] { state.withLock { $0.requests } }
    /// Whether the model is loaded.
    var loaded: Bool {
        get { state.withLock { $0.loaded } }
        set { state.withLock { $0.loaded = newValue } }
    }

    static func body(_ name: String) -> [UInt8] {
        let url = fixtures.appendingPathComponent(name + ".body")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            fatalError("missing recorded MLServer body \(url.path)")
        }
        return Array(data)
    }

    func send(_ request: AgentHTTPRequest) async throws(AgentHTTPError) -> AgentHTTPResponse {
        let path = String(request.url.drop { $0 != "/" }.dropFirst(2).drop { $0 != "/" })
        let text = String(decoding: request.body ?? [], as: UTF8.self)
        let loaded = state.withLock { s in
            s.requests.append("\(request.method) \(path)\(text.isEmpty ? "" : " " + text)")
            return s.loaded
        }
        func answer(_ status: Int, _ name: String) -> AgentHTTPResponse { .init(status: status, body: Self.body(name)) }
        switch (request.method, path) {
        case ("GET", "/v2/health/live"): return answer(200, "health-live")
        case ("GET", "/v2/health/ready"): return answer(200, loaded ? "health-ready" : "health-ready-after-unload")
        case ("GET", "/v2/models/ranker"):
            return loaded ? answer(200, "model-metadata") : answer(404, "model-metadata-after-unload")
        case ("GET", "/v2/models/ranker/versions/9/ready"): return answer(404, "version-ready-unknown")
        case ("GET", "/v2/models/ranker/ready"), ("GET", "/v2/models/ranker/versions/1/ready"),
            ("GET", "/v2/models/ranker/versions/2/ready"):
            return loaded ? answer(200, "version-ready") : answer(404, "version-ready-after-unload")
        case ("POST", "/v2/repository/index"):
            return answer(200, loaded ? "repository-index-ready" : "repository-index-ready-after-unload")
        case ("POST", "/v2/repository/models/ranker/load"):
            state.withLock { $0.loaded = true }
            return answer(200, "load")
        case ("POST", "/v2/repository/models/ranker/unload"):
            state.withLock { $0.loaded = false }
            return answer(200, "unload")
        case ("POST", "/v2/repository/models/nope/load"): return answer(404, "load-unknown-model")
        case ("POST", "/v2/models/ranker/infer"), ("POST", "/v2/models/ranker/versions/1/infer"),
            ("POST", "/v2/models/ranker/versions/2/infer"):
            guard loaded else { return answer(404, "version-ready-after-unload") }
            if ignoresRequestedOutputs || !text.contains("\"outputs\"") { return answer(200, "infer-v2-no-outputs") }
            guard text.contains("\"outputs\":[{\"name\":\"predict_proba\"}]") else {
                return answer(400, "infer-bad-output")
            }
            return answer(200, path.contains("/versions/1/") ? "infer-v1-proba" : "infer-v2-proba")
        default:
            return .init(status: 404, body: Array("{\"detail\":\"Not Found\"}".utf8))
        }
    }
}

@Suite("OIP adapter against recorded MLServer 1.7.1 answers")
struct MLServerQuirksTests {
    /// The two rows the recorded inferences were made with.
    let records: [[String: FeatureValue]] = [
        [
            "price": .number(30), "discount": .number(0.1), "category": .string("electronics"),
            "popularity": .number(0.5),
            "text_similarity": .number(0.8), "user_activity": .number(5), "device": .string("ios"),
        ],
        [
            "price": .number(12), "discount": .number(0), "category": .string("books"), "popularity": .number(0.1),
            "text_similarity": .number(0.2), "user_activity": .number(3), "device": .string("web"),
        ],
    ]

    func makeAdapter(_ server: RecordedMLServer, version: String?, outputName: String? = "predict_proba") -> OIPAdapter
    {
        OIPAdapter(
            client: server, baseURL: "http://127.0.0.1:8080", model: "ranker", version: version, outputName: outputName,
            featureOrder: [
                "price", "discount", "category", "popularity", "text_similarity", "user_activity", "device",
            ],
            categoryCodes: [
                "category": [
                    "electronics", "fashion", "home", "beauty", "sports", "toys", "books", "grocery", "garden",
                    "automotive", "health", "pets",
                ],
                "device": ["web", "ios", "android"],
            ])
    }

    @Test(
        "empty health bodies are healthy; after an unload the server-level ready stays 200 but the model is not ready")
    func readinessAfterUnload() async throws {
        let server = RecordedMLServer()
        let adapter = makeAdapter(server, version: "2")
        #expect(await adapter.health() == ServerHealth(live: true, ready: true))
        server.loaded = false
        let serverLevel = try await server.send(
            .init(method: "GET", url: "http://127.0.0.1:8080/v2/health/ready", timeout: .seconds(1)))
        #expect(serverLevel.status == 200)
        let health = await adapter.health()
        #expect(health.live)
        #expect(!health.ready)
        #expect(health.errorKind == "not_ready")
        #expect(health.detail?.contains("model ranker is not loaded") == true)
        #expect(health.detail?.contains("Model ranker with version 2 not found") == true)
        // Only the test itself asked the server-level readiness; the adapter never does.
        #expect(server.requests.filter { $0 == "GET /v2/health/ready" }.count == 1)
        #expect(server.requests.filter { $0 == "GET /v2/models/ranker/versions/2/ready" }.count == 2)
    }

    @Test("the configured output is asked for by name; FP64 answers to an FP32 declaration are read, two values a row")
    func outputsByNameAndDatatypes() async throws {
        let server = RecordedMLServer()
        let primary = try await makeAdapter(server, version: "2").infer(records)
        #expect(primary == [[0.27615100145339966, 0.7238489985466003], [0.9124093651771545, 0.08759065717458725]])
        #expect(
            server.requests.last
                == #"POST /v2/models/ranker/versions/2/infer {"inputs":[{"name":"features","shape":[2,7],"datatype":"FP32","data":[30,0.1,0,0.5,0.8,5,1,12,0,6,0.1,0.2,3,0]}],"outputs":[{"name":"predict_proba"}]}"#
        )
        // Version 1's metadata declares FP32; MLServer answers FP64.
        let metadata = try #require(JSONValue.parse(RecordedMLServer.body("model-metadata")))
        #expect(metadata["outputs"]?.array?.first?["datatype"]?.string == "FP32")
        #expect(
            JSONValue.parse(RecordedMLServer.body("infer-v1-proba"))?["outputs"]?.array?.first?["datatype"]?.string
                == "FP64")
        let backup = try await makeAdapter(server, version: "1").infer(records)
        #expect(backup == [[0.7055837563451777, 0.29441624365482233], [0.7055837563451777, 0.29441624365482233]])
        // The golden-set scorer takes the positive class of a two-column row.
        let scored = GoldenSet.score(
            [
                GoldenRecord(id: "a", features: records[0], label: 1),
                GoldenRecord(id: "b", features: records[1], label: 0),
            ],
            outputs: primary)
        #expect(scored.scores == [0.7238489985466003, 0.08759065717458725])
    }

    @Test("without an output name the runtime's default `predict` labels come back; a missing named output is an error")
    func missingOutputIsAnError() async throws {
        let labels = try await makeAdapter(RecordedMLServer(), version: "2", outputName: nil).infer(records)
        #expect(labels == [[1], [0]])
        do {
            _ = try await makeAdapter(RecordedMLServer(ignoresRequestedOutputs: true), version: "2").infer(records)
            Issue.record("expected a bad_response")
        } catch {
            #expect(error.kind == "bad_response")
            #expect(error.message.contains(#"no output "predict_proba" (server.output_name), only: predict"#))
        }
        do {
            _ = try await makeAdapter(RecordedMLServer(), version: "2", outputName: "score").infer(records)
            Issue.record("expected an HTTP 400")
        } catch {
            #expect(error.kind == "http_4xx")
            #expect(error.message.contains("SKLearnModel only supports 'predict', 'predict_proba' and 'transform'"))
        }
    }

    @Test("metadata lists no versions, so the served version is the highest ready one in the repository index")
    func servedVersionFromIndex() async throws {
        let server = RecordedMLServer()
        #expect(try await makeAdapter(server, version: nil).servedVersion() == "2")
        #expect(server.requests == ["GET /v2/models/ranker", #"POST /v2/repository/index {"ready":true}"#])
        #expect(try await makeAdapter(server, version: "1").servedVersion() == "1")
        server.loaded = false
        await #expect(throws: AdapterError.self) { _ = try await makeAdapter(server, version: nil).servedVersion() }
    }

    @Test("a switch loads the model name, checks the version and then addresses it explicitly; nothing is unloaded")
    func switchAddressesTheVersion() async throws {
        let server = RecordedMLServer()
        let adapter = makeAdapter(server, version: nil)
        server.loaded = false
        try await adapter.switchVersion(to: "1")
        #expect(server.loaded)
        #expect(
            server.requests == [
                #"POST /v2/repository/models/ranker/load {"parameters":{"version":"1"}}"#,
                "GET /v2/models/ranker/versions/1/ready",
            ])
        // MLServer keeps the newest version as the unversioned default, so only an explicit version path reaches 1.
        #expect(JSONValue.parse(RecordedMLServer.body("infer-default-after-load"))?["model_version"]?.string == "2")
        let out = try await adapter.infer(records)
        #expect(out[0] == [0.7055837563451777, 0.29441624365482233])
        #expect(server.requests.last?.hasPrefix("POST /v2/models/ranker/versions/1/infer") == true)
        #expect(try await adapter.servedVersion() == "1")
        #expect(!server.requests.contains { $0.contains("/unload") })
    }

    @Test("switching to a version missing from the model repository says where to add it")
    func switchToUnknownVersion() async throws {
        let adapter = makeAdapter(RecordedMLServer(), version: "2")
        do {
            try await adapter.switchVersion(to: "9")
            Issue.record("expected switch_failed")
        } catch {
            #expect(error.kind == "switch_failed")
            #expect(error.message.contains("Model ranker with version 9 not found"))
            #expect(error.message.contains(#"model-settings.json has name "ranker" and parameters.version "9""#))
        }
        #expect(try await adapter.servedVersion() == "2")
    }
}
