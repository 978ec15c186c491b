import Foundation
import HTTPTypes
import Hummingbird
import RefModel
import ServiceLifecycle

/// The Open Inference Protocol v2 REST endpoints plus the model-repository extension.
struct OIPRoutes<Context: RequestContext> {
    let state: RefServerState
    let configuration: RefServerConfiguration

    func add(to router: Router<Context>) {
        router.get("/v2/health/live") { _, _ in JSONResponse.make(OIPLiveResponse(live: true)) }
        router.get("/v2/health/ready") { _, _ in
            let ready = state.isServerReady
            return JSONResponse.make(ready ? .ok : .badRequest, OIPReadyResponse(ready: ready))
        }
        router.get("/v2") { _, _ in
            JSONResponse.make(
                OIPServerMetadata(
                    name: configuration.serverName, version: configuration.serverVersion,
                    extensions: ["model_repository"]))
        }
        router.get("/v2/models/{name}") { _, context in try metadata(context, version: nil) }
        router.get("/v2/models/{name}/versions/{version}") { _, context in
            try metadata(context, version: context.parameters.require("version"))
        }
        router.get("/v2/models/{name}/ready") { _, context in try ready(context, version: nil) }
        router.get("/v2/models/{name}/versions/{version}/ready") { _, context in
            try ready(context, version: context.parameters.require("version"))
        }
        router.post("/v2/models/{name}/infer") { request, context in try await infer(request, context, version: nil) }
        router.post("/v2/models/{name}/versions/{version}/infer") { request, context in
            try await infer(request, context, version: context.parameters.require("version"))
        }
        router.post("/v2/repository/index") { request, _ in
            let body = try await JSONResponse.decode(
                OIPRepositoryIndexRequest.self, from: request, limit: 64 << 10, empty: OIPRepositoryIndexRequest())
            return JSONResponse.make(state.index(readyOnly: body.ready ?? false))
        }
        router.post("/v2/repository/models/{name}/load") { request, context in
            let version = try await repositoryVersion(request)
            try state.load(model: context.parameters.require("name"), version: version)
            return JSONResponse.make([String: String]())
        }
        router.post("/v2/repository/models/{name}/unload") { request, context in
            let version = try await repositoryVersion(request)
            try state.unload(model: context.parameters.require("name"), version: version)
            return JSONResponse.make([String: String]())
        }
    }

    private func metadata(_ context: Context, version: String?) throws -> Response {
        let name = try context.parameters.require("name")
        _ = try state.resolve(model: name, version: version)
        let width = FeatureSchema.ranker.width
        return JSONResponse.make(
            OIPModelMetadata(
                name: name, versions: state.versionIDs, platform: "drover_reference_mlp",
                inputs: [OIPMetadataTensor(name: FeatureTensor.inputName, datatype: "FP32", shape: [-1, width])],
                outputs: [OIPMetadataTensor(name: FeatureTensor.outputName, datatype: "FP32", shape: [-1, 1])]))
    }

    private func ready(_ context: Context, version: String?) throws -> Response {
        let name = try context.parameters.require("name")
        let ready = try state.isReady(model: name, version: version)
        return JSONResponse.make(ready ? .ok : .badRequest, OIPModelReadyResponse(name: name, ready: ready))
    }

    private func repositoryVersion(_ request: Request) async throws -> String? {
        let body = try await JSONResponse.decode(
            OIPRepositoryRequest.self, from: request, limit: 64 << 10, empty: OIPRepositoryRequest())
        return body.parameters?["version"]?.text
    }

    private func infer(_ request: Request, _ context: Context, version: String?) async throws -> Response {
        let name = try context.parameters.require("name")
        let served = try state.resolve(model: name, version: version)
        state.count { $0.inferRequests[served.id, default: 0] += 1 }
        let body: OIPInferenceRequest
        let rows: (count: Int, values: [Float])
        do {
            body = try await JSONResponse.decode(
                OIPInferenceRequest.self, from: request, limit: configuration.maxBodyBytes)
            rows = try FeatureTensor.rows(of: body, schema: served.model.schema, maxBatch: configuration.maxBatch)
        } catch {
            state.count { $0.inferBadRequests += 1 }
            throw error
        }
        try await hangIfAsked()
        let injection = state.drawInjection()
        if injection.delayMs > 0 { try await Task.sleep(for: .milliseconds(injection.delayMs)) }
        if injection.fail {
            throw OIPError(.internalServerError, "injected fault: inference failed (error_rate knob)")
        }
        let scores = state.skew(served.score(flat: rows.values, count: rows.count))
        state.count { $0.inferOK[served.id, default: 0] += 1 }
        return JSONResponse.make(
            OIPInferenceResponse(
                modelName: name, modelVersion: served.id, id: body.id ?? state.nextResponseID(),
                outputs: [
                    OIPResponseOutput(
                        name: FeatureTensor.outputName, datatype: "FP32", shape: [rows.count, 1], data: scores)
                ]))
    }

    /// Waits while the hang knob is on; ends early when the client goes away or the server shuts down.
    private func hangIfAsked() async throws {
        guard state.isHanging else { return }
        state.count { $0.hanging += 1 }
        defer { state.count { $0.hanging -= 1 } }
        while state.isHanging {
            if Task.isShuttingDownGracefully { throw OIPError(.serviceUnavailable, "server shutting down") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
