import ControlPlaneCore
import Hummingbird
import Logging
import NIOCore

/// `/healthz`, `/readyz`, `/metrics` and `/v1/openapi.json` (no token needed).
struct SystemRoutes {
    let controlPlane: ControlPlane
    let metrics: (@Sendable () async -> String)?

    func register(on router: Router<AppRequestContext>) {
        router.get("healthz") { _, _ in try JSONBody.response(StatusBody(status: "ok")) }
        router.get("readyz") { _, context in
            do {
                try await controlPlane.store.ping()
                return try JSONBody.response(StatusBody(status: "ready"))
            } catch {
                context.logger.warning("store not ready", metadata: ["error": "\(error)"])
                return try JSONBody.response(StatusBody(status: "store unavailable"), status: .serviceUnavailable)
            }
        }
        router.get("metrics") { _, _ in
            let text = await metrics?() ?? ""
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("v1/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
    }
}
