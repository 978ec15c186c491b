import Foundation
import Hummingbird
import HummingbirdTesting
import RefModel
import RefServer
import Testing

@Suite("OIP v2 endpoints")
struct OIPEndpointTests {
    @Test("health live and ready answer the OIP JSON bodies")
    func health() async throws {
        let server = try TestServer()
        try await server.app.test(.router) { client in
            try await client.execute(uri: "/v2/health/live", method: .get) { response in
                #expect(response.status == .ok)
                try #expect(jsonObject(response.body) as NSDictionary == ["live": true])
            }
            try await client.execute(uri: "/v2/health/ready", method: .get) { response in
                #expect(response.status == .ok)
                try #expect(jsonObject(response.body) as NSDictionary == ["ready": true])
            }
        }
    }

    @Test("server metadata names the server and the model_repository extension")
    func serverMetadata() async throws {
        let server = try TestServer()
        try await server.app.test(.router) { client in
            try await client.execute(uri: "/v2", method: .get) { response in
                #expect(response.status == .ok)
                let object = try jsonObject(response.body)
                #expect(Set(object.keys) == ["name", "version", "extensions"])
                #expect(object["name"] as? String == "drover-refserver")
                #expect(object["extensions"] as? [String] == ["model_repository"])
            }
        }
    }

    @Test(
        "model metadata has name, versions, platform, inputs and outputs",
        arguments: ["/v2/models/ranker", "/v2/models/ranker/versions/2"])
    func modelMetadata(path: String) async throws {
        let server = try TestServer()
        try await server.app.test(.router) { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .ok)
                let object = try jsonObject(response.body)
                #expect(Set(object.keys) == ["name", "versions", "platform", "inputs", "outputs"])
                #expect(object["name"] as? String == "ranker")
                #expect(object["versions"] as? [String] == ["1", "2", "3", "4"])
                let inputs = try #require(object["inputs"] as? [[String: Any]])
                #expect(inputs.count == 1)
                #expect(inputs[0] as NSDictionary == ["name": "features", "datatype": "FP32", "shape": [-1, 7]])
                let outputs = try #require(object["outputs"] as? [[String: Any]])
                #expect(outputs[0] as NSDictionary == ["name": "score", "datatype": "FP32", "shape": [-1, 1]])
            }
        }
    }

    @Test(
        "model ready answers name and ready in both path forms",
        arguments: ["/v2/models/ranker/ready", "/v2/models/ranker/versions/3/ready"])
    func modelReady(path: String) async throws {
        let server = try TestServer()
        try await server.app.test(.router) { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .ok)
                try #expect(jsonObject(response.body) as NSDictionary == ["name": "ranker", "ready": true])
            }
        }
    }

    @Test("unknown models, versions and endpoints answer 404 with an error string")
    func notFound() async throws {
        let server = try TestServer()
        try await server.app.test(.router) { client in
            for path in ["/v2/models/other", "/v2/models/ranker/versions/9", "/v2/nothing-here"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .notFound, "\(path)")
                    let object = try jsonObject(response.body)
                    #expect(Set(object.keys) == ["error"])
                    #expect((object["error"] as? String)?.isEmpty == false)
                }
            }
        }
    }

    @Test("infer with flat data answers an FP32 [N,1] score tensor and echoes the id")
    func inferFlat() async throws {
        let server = try TestServer()
        let rows = sampleRows(count: 6)
        let expected = RefModelCatalog.version("1")!.score(flat: rows.flatMap { $0 }, count: rows.count)
        try await server.app.test(.router) { client in
            try await client.execute(uri: "/v2/models/ranker/infer", method: .post, body: try inferBody(rows: rows)) {
                response in
                #expect(response.status == .ok)
                let object = try jsonObject(response.body)
                #expect(Set(object.keys) == ["model_name", "model_version", "id", "outputs"])
                #expect(object["model_name"] as? String == "ranker")
                #expect(object["model_version"] as? String == "1")
                #expect(object["id"] as? String == "42")
                let outputs = try #require(object["outputs"] as? [[String: Any]])
                #expect(outputs.count == 1)
                #expect(Set(outputs[0].keys) == ["name", "datatype", "shape", "data"])
                #expect(outputs[0]["name"] as? String == "score")
                #expect(outputs[0]["datatype"] as? String == "FP32")
                #expect(outputs[0]["shape"] as? [Int] == [6, 1])
                let data = try #require(outputs[0]["data"] as? [Double])
                #expect(zip(data, expected).allSatisfy { abs($0 - Double($1)) < 1e-6 })
            }
        }
    }

    @Test("infer with nested data gives the same scores as flat data, and the versioned path uses that version")
    func inferNested() async throws {
        let server = try TestServer()
        let rows = sampleRows(count: 4)
        try await server.app.test(.router) { client in
            let flat = try await client.execute(
                uri: "/v2/models/ranker/infer", method: .post, body: try inferBody(rows: rows))
            let nested = try await client.execute(
                uri: "/v2/models/ranker/infer", method: .post, body: try inferBody(rows: rows, nested: true))
            #expect(nested.status == .ok)
            try #expect(scores(flat.body) == scores(nested.body))
            let v2 = try await client.execute(
                uri: "/v2/models/ranker/versions/2/infer", method: .post, body: try inferBody(rows: rows, id: nil))
            #expect(v2.status == .ok)
            let object = try jsonObject(v2.body)
            #expect(object["model_version"] as? String == "2")
            #expect((object["id"] as? String)?.isEmpty == false)
        }
    }

    @Test(
        "malformed inference requests answer 400 with a clear error",
        arguments: [
            (
                #"{"inputs":[{"name":"features","shape":[2,6],"datatype":"FP32","data":[1,2,3,4,5,6,7,8,9,10,11,12]}]}"#,
                "shape"
            ),
            (#"{"inputs":[{"name":"features","shape":[1,7],"datatype":"INT64","data":[1,2,3,4,5,6,7]}]}"#, "datatype"),
            (#"{"inputs":[{"name":"features","shape":[2,7],"datatype":"FP32","data":[1,2,3]}]}"#, "elements"),
            (#"{"inputs":[{"name":"x","shape":[1,7],"datatype":"FP32","data":[1,2,3,4,5,6,7]}]}"#, "features"),
            (#"{"inputs":[{"name":"features","shape":[2,7],"datatype":"FP32","data":[[1,2,3,4,5,6,7]]}]}"#, "nested"),
            (#"{"inputs":[{"name":"features","shape":[1,7],"datatype":"FP32","data":["a",2,3,4,5,6,7]}]}"#, "numbers"),
            (#"{"inputs":[]}"#, "exactly one"),
            (#"{"id":"1"}"#, "inputs"),
            (#"not json"#, "JSON"),
            (
                #"{"inputs":[{"name":"features","shape":[1,7],"datatype":"FP32","data":[1,2,3,4,5,6,7]}],"outputs":[{"name":"prob"}]}"#,
                "output"
            ),
        ])
    func badInfer(body: String, mentions: String) async throws {
        let server = try TestServer()
        try await server.app.test(.router) { client in
            try await client.execute(uri: "/v2/models/ranker/infer", method: .post, body: ByteBuffer(string: body)) {
                response in
                #expect(response.status == .badRequest)
                let object = try jsonObject(response.body)
                let message = try #require(object["error"] as? String)
                #expect(message.contains(mentions), "\(message)")
            }
        }
        #expect(server.state.stats.inferBadRequests == 1)
    }

    @Test("repository index lists every version as READY, and unload/load change states and the default")
    func repository() async throws {
        let server = try TestServer()
        try await server.app.test(.router) { client in
            try await client.execute(uri: "/v2/repository/index", method: .post) { response in
                #expect(response.status == .ok)
                let entries = try #require(try json(response.body) as? [[String: Any]])
                #expect(entries.count == 4)
                #expect(
                    entries[0] as NSDictionary == ["name": "ranker", "version": "1", "state": "READY", "reason": ""])
            }
            // Unload one version: it becomes UNAVAILABLE and its endpoints answer 400.
            let unload3 = try await client.execute(
                uri: "/v2/repository/models/ranker/unload", method: .post,
                body: try body(["parameters": ["version": "3"]]))
            #expect(unload3.status == .ok)
            try await client.execute(uri: "/v2/repository/index", method: .post, body: try body(["ready": true])) {
                response in
                let entries = try #require(try json(response.body) as? [[String: Any]])
                #expect(entries.compactMap { $0["version"] as? String } == ["1", "2", "4"])
            }
            try await client.execute(uri: "/v2/models/ranker/versions/3/ready", method: .get) { response in
                #expect(response.status == .badRequest)
                try #expect(jsonObject(response.body) as NSDictionary == ["name": "ranker", "ready": false])
            }
            try await client.execute(
                uri: "/v2/models/ranker/versions/3/infer", method: .post, body: try inferBody(rows: sampleRows())
            ) { response in
                #expect(response.status == .badRequest)
                let message = try errorMessage(response.body)
                #expect(message.contains("not loaded"), "\(message)")
            }
            // Load with a version: loaded again and now the default.
            let load = try await client.execute(
                uri: "/v2/repository/models/ranker/load", method: .post,
                body: try body(["parameters": ["version": "3"]]))
            #expect(load.status == .ok)
            try await client.execute(
                uri: "/v2/models/ranker/infer", method: .post, body: try inferBody(rows: sampleRows())
            ) { response in
                try #expect(jsonObject(response.body)["model_version"] as? String == "3")
            }
            // Unload the whole model: nothing ready, server not ready, infer 400.
            let unloadAll = try await client.execute(uri: "/v2/repository/models/ranker/unload", method: .post)
            #expect(unloadAll.status == .ok)
            try await client.execute(uri: "/v2/repository/index", method: .post, body: ByteBuffer(string: "{}")) {
                response in
                let entries = try #require(try json(response.body) as? [[String: Any]])
                #expect(
                    entries.allSatisfy {
                        $0["state"] as? String == "UNAVAILABLE" && $0["reason"] as? String == "unloaded"
                    })
            }
            try await client.execute(uri: "/v2/health/ready", method: .get) { response in
                #expect(response.status == .badRequest)
                try #expect(jsonObject(response.body) as NSDictionary == ["ready": false])
            }
            try await client.execute(
                uri: "/v2/models/ranker/infer", method: .post, body: try inferBody(rows: sampleRows())
            ) { response in
                #expect(response.status == .badRequest)
            }
            // Load without parameters: every version back.
            _ = try await client.execute(uri: "/v2/repository/models/ranker/load", method: .post)
            #expect(server.state.loadedVersions == ["1", "2", "3", "4"])
            try await client.execute(uri: "/v2/repository/models/other/load", method: .post) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(
                uri: "/v2/repository/models/ranker/load", method: .post,
                body: try body(["parameters": ["version": "7"]])
            ) { response in
                #expect(response.status == .notFound)
                let keys = Set(try jsonObject(response.body).keys)
                #expect(keys == ["error"])
            }
        }
    }

    @Test("the admin schema lists the tensor columns and category codes")
    func schema() async throws {
        let server = try TestServer()
        try await server.app.test(.router) { client in
            try await client.execute(uri: "/admin/schema", method: .get) { response in
                let object = try jsonObject(response.body)
                let columns = try #require(object["columns"] as? [[String: Any]])
                #expect(columns.compactMap { $0["name"] as? String } == FeatureSchema.ranker.names)
                #expect((columns[6]["categories"] as? [String]) == ["web", "ios", "android"])
                #expect(object["unknown_category_code"] as? Int == -1)
            }
        }
    }
}
