import AgentCore
import CurlTransport
import DroverAPI
import Synchronization
import Testing

/// A shared libcurl-backed client for tests.
enum TestHTTP {
    /// Per-request bound of the adapters under test ("does not hang"; their 5 s default is tight for a full parallel run).
    static let timeout: Duration = .seconds(30)
    static let client: TransportHTTPClient = {
        try! CurlGlobal.initialize()
        // Generous bounds: a full parallel test run can starve the handler tasks of these loopback servers for seconds.
        return TransportHTTPClient(try! CurlTransport(configuration: .init(connectTimeout: .seconds(10), timeout: .seconds(30))))
    }()
}

/// Records requests seen by a fake server.
final class RequestLog: Sendable {
    // The mutex guards the list.
    private let entries = Mutex<[String]>([])
    func add(_ line: String) { entries.withLock { $0.append(line) } }
    var all: [String] { entries.withLock { $0 } }
}

func json(_ status: Int, _ text: String) -> LocalHTTPResponse { .init(status: status, body: Array(text.utf8)) }

@Suite("Inference-server adapters against fake servers")
struct AdapterTests {
    let records: [[String: FeatureValue]] = [["a": .number(1), "b": .number(2)], ["a": .number(3), "b": .number(4)]]

    @Test("OIP: empty health bodies count as healthy; readiness is asked per model version")
    func oipHealth() async throws {
        let log = RequestLog()
        try await LocalHTTPServer.withServer(handler: { request in
            log.add("\(request.method) \(request.path)")
            switch request.path {
            case "/v2/health/live": return .init(status: 200)
            case "/v2/models/ranker/versions/2/ready": return .init(status: 200)
            default: return json(404, "{\"error\":\"no\"}")
            }
        }) { (port: Int) async throws in
            let adapter = OIPAdapter(client: TestHTTP.client, baseURL: "http://127.0.0.1:\(port)", model: "ranker", version: "2", timeout: TestHTTP.timeout)
            let health = await adapter.health()
            #expect(health == ServerHealth(live: true, ready: true))
            #expect(log.all == ["GET /v2/health/live", "GET /v2/models/ranker/versions/2/ready"])
        }
    }

    @Test("OIP: a server that is ready while the model is unloaded is not ready")
    func oipModelReadiness() async throws {
        try await LocalHTTPServer.withServer(handler: { request in
            switch request.path {
            case "/v2/health/live", "/v2/health/ready": return json(200, "{\"live\":true}")
            case "/v2/models/ranker/ready": return json(400, "{\"error\":\"Model ranker with version  not found\"}")
            default: return json(404, "{}")
            }
        }) { (port: Int) async throws in
            let adapter = OIPAdapter(client: TestHTTP.client, baseURL: "http://127.0.0.1:\(port)", model: "ranker", version: nil, timeout: TestHTTP.timeout)
            let health = await adapter.health()
            #expect(health.live)
            #expect(!health.ready)
            #expect(health.errorKind == "not_ready")
        }
    }

    @Test("OIP: a refused connection is not live, with kind refused")
    func oipRefused() async throws {
        let port = try await LocalHTTPServer.withServer(handler: { _ in .init(status: 200) }) { $0 }
        let adapter = OIPAdapter(client: TestHTTP.client, baseURL: "http://127.0.0.1:\(port)", model: "m", version: nil, timeout: TestHTTP.timeout)
        let health = await adapter.health()
        #expect(!health.ok)
        // Another process on this machine may grab the freed port in between; then it is not "refused".
        if !health.live { #expect(["refused", "transport", "timeout"].contains(health.errorKind ?? "")) }
    }

    @Test("OIP: inference sends one FP32 [N, F] tensor and accepts other output datatypes than declared")
    func oipInfer() async throws {
        let body = Mutex<String>("")
        try await LocalHTTPServer.withServer(handler: { request in
            body.withLock { $0 = String(decoding: request.body, as: UTF8.self) }
            // Declared FP32 in metadata, answered as FP64, one value as text: all must be accepted.
            return json(200, #"{"model_name":"ranker","outputs":[{"name":"other","datatype":"INT64","shape":[2,1],"data":[7,7]},{"name":"score","datatype":"FP64","shape":[2,1],"data":[0.25,"0.75"]}]}"#)
        }) { (port: Int) async throws in
            let adapter = OIPAdapter(
                client: TestHTTP.client, baseURL: "http://127.0.0.1:\(port)", model: "ranker", version: "3", outputName: "score",
                featureOrder: ["b", "a"], timeout: TestHTTP.timeout)
            let out = try await adapter.infer(records)
            #expect(out == [[0.25], [0.75]])
            // The configured output is asked for by name (MLServer's scikit-learn runtime answers labels otherwise).
            #expect(
                body.withLock { $0 }
                    == #"{"inputs":[{"name":"features","shape":[2,2],"datatype":"FP32","data":[2,1,4,3]}],"outputs":[{"name":"score"}]}"#)
        }
    }

    @Test("OIP: a malformed answer is a bad_response naming what is wrong")
    func oipBadResponse() async throws {
        try await LocalHTTPServer.withServer(handler: { _ in json(200, #"{"outputs":[{"name":"score","data":[1,2,3]}]}"#) }) { (port: Int) async throws in
            let adapter = OIPAdapter(client: TestHTTP.client, baseURL: "http://127.0.0.1:\(port)", model: "m", version: nil, timeout: TestHTTP.timeout)
            await #expect(throws: AdapterError.self) { _ = try await adapter.infer(records) }
            do {
                _ = try await adapter.infer(records)
            } catch let error as AdapterError {
                #expect(error.kind == "bad_response")
                #expect(error.message.contains("3 values for 2 rows"))
            }
        }
    }

    @Test("OIP: switching loads the model by name asking for the version, then checks that version is ready")
    func oipSwitch() async throws {
        let log = RequestLog()
        try await LocalHTTPServer.withServer(handler: { request in
            log.add("\(request.method) \(request.path) \(String(decoding: request.body, as: UTF8.self))")
            switch request.path {
            case "/v2/repository/models/ranker/load": return .init(status: 200)
            case "/v2/models/ranker/versions/1/ready": return .init(status: 200)
            case "/v2/models/ranker/versions/9/ready": return json(404, "{}")
            default: return json(404, "{}")
            }
        }) { (port: Int) async throws in
            let adapter = OIPAdapter(client: TestHTTP.client, baseURL: "http://127.0.0.1:\(port)", model: "ranker", version: "2", timeout: TestHTTP.timeout)
            try await adapter.switchVersion(to: "1")
            #expect(log.all.first == #"POST /v2/repository/models/ranker/load {"parameters":{"version":"1"}}"#)
            #expect(try await adapter.servedVersion() == "1")
            await #expect(throws: AdapterError.self) { try await adapter.switchVersion(to: "9") }
        }
    }

    @Test("OIP: a failed load carries the server's error text")
    func oipSwitchError() async throws {
        try await LocalHTTPServer.withServer(handler: { _ in json(400, #"{"error":"failed to load 'ranker' version 7: not found"}"#) }) { (port: Int) async throws in
            let adapter = OIPAdapter(client: TestHTTP.client, baseURL: "http://127.0.0.1:\(port)", model: "ranker", version: "2", timeout: TestHTTP.timeout)
            do {
                try await adapter.switchVersion(to: "7")
                Issue.record("expected a failure")
            } catch let error as AdapterError {
                #expect(error.kind == "switch_failed")
                #expect(error.message.contains("failed to load 'ranker' version 7: not found"))
            }
        }
    }

    @Test("TorchServe: ping, worker readiness, predictions, default version and set-default")
    func torchServe() async throws {
        let log = RequestLog()
        let defaultVersion = Mutex("1.0")
        try await LocalHTTPServer.withServer(handler: { request in
            log.add("\(request.method) \(request.path)")
            switch (request.method, request.path) {
            case ("GET", "/ping"): return json(200, #"{"status": "Healthy"}"#)
            case ("GET", "/models/ranker"):
                let v = defaultVersion.withLock { $0 }
                return json(200, #"[{"modelName":"ranker","modelVersion":"\#(v)","workers":[{"id":"9000","status":"READY"}]}]"#)
            case ("GET", "/models/ranker/2.0"):
                return json(200, #"[{"modelName":"ranker","modelVersion":"2.0","workers":[{"id":"9000","status":"UNLOADING"}]}]"#)
            case ("POST", "/predictions/ranker"):
                return json(200, #"{"predictions":[{"score":0.1},{"score":0.9}]}"#)
            case ("PUT", "/models/ranker/2.0/set-default"):
                defaultVersion.withLock { $0 = "2.0" }
                return json(200, #"{"status":"Default version succsesfully updated for model \"ranker\" to \"2.0\""}"#)
            default: return json(404, "{}")
            }
        }) { (port: Int) async throws in
            let url = "http://127.0.0.1:\(port)"
            let adapter = TorchServeAdapter(
                client: TestHTTP.client, inferenceURL: url, managementURL: url, model: "ranker", version: nil,
                template: RequestTemplate(body: #"{"data": {{records}}}"#, scoresPath: "predictions[*].score"),
                timeout: TestHTTP.timeout)
            #expect(await adapter.health() == ServerHealth(live: true, ready: true))
            #expect(try await adapter.infer(records) == [[0.1], [0.9]])
            #expect(try await adapter.servedVersion() == "1.0")
            try await adapter.switchVersion(to: "2.0")
            #expect(try await adapter.servedVersion() == "2.0")
            let health = await adapter.health()
            #expect(!health.ready, "the 2.0 worker is not READY")
        }
    }

    @Test("Generic HTTP: template, scores path, version path; switching needs a command")
    func generic() async throws {
        let body = Mutex("")
        try await LocalHTTPServer.withServer(handler: { request in
            switch request.path {
            case "/health": return .init(status: 204)
            case "/predict/ranker":
                body.withLock { $0 = String(decoding: request.body, as: UTF8.self) }
                return json(200, #"{"result":{"scores":[[0.2],[0.8]]}}"#)
            case "/info": return json(200, #"{"model":{"version":"5"}}"#)
            default: return json(404, "{}")
            }
        }) { (port: Int) async throws in
            let url = "http://127.0.0.1:\(port)"
            let adapter = GenericHTTPAdapter(
                client: TestHTTP.client, healthURL: url + "/health", predictURL: url + "/predict/{model}", versionURL: url + "/info",
                versionPath: "model.version", model: "ranker", version: nil,
                template: RequestTemplate(body: #"{"model":"{{model}}","x":{{rows}}}"#, scoresPath: "result.scores", featureOrder: ["a", "b"]),
                timeout: TestHTTP.timeout, switcher: nil)
            #expect(await adapter.health().ok)
            #expect(try await adapter.infer(records) == [[0.2], [0.8]])
            #expect(body.withLock { $0 } == #"{"model":"ranker","x":[[1,2],[3,4]]}"#)
            #expect(try await adapter.servedVersion() == "5")
            await #expect(throws: AdapterError.self) { try await adapter.switchVersion(to: "6") }
        }
    }

    @Test("a switch command gets {model} and {version}; a failure carries its output")
    func command() async throws {
        let dir = ScratchDirectory()
        defer { dir.remove() }
        let ok = CommandSwitcher(argv: ["/bin/sh", "-c", "echo \"$0 $1\" > \(dir.file("out"))", "{model}", "{version}"])
        try await ok.run(model: "ranker", version: "4")
        #expect(try FileIO.readText(dir.file("out")) == "ranker 4\n")
        let bad = CommandSwitcher(argv: ["/bin/sh", "-c", "echo 'no such version' >&2; exit 3"])
        do {
            try await bad.run(model: "ranker", version: "9")
            Issue.record("expected a failure")
        } catch {
            #expect(error.message.hasSuffix("exited with 3: no such version"))
        }
    }
}
