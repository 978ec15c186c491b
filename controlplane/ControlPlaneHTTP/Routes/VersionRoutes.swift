import ControlPlaneCore
import DroverAPI
import Hummingbird

/// `/v1/versions` and `/v1/models/{model}/versions/{version}…`: the registry.
///
/// With alerting wired, a registration is told to the retrain coordinator (closing the retraining loop) and
/// `stable` is refused for versions of a flagged training run unless the request says `{"override": true}`.
struct VersionRoutes {
    let controlPlane: ControlPlane
    let http: HTTPConfiguration
    var alerting: Alerting? = nil
    var clock: WallClock = .system

    func collection() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        let registry = controlPlane.versions
        routes.post("versions") { request, context in
            let principal = try context.require(.versionsWrite)
            let (body, _) = try await JSONBody.decode(ModelVersion.self, from: request, limit: http.maxBodyBytes)
            let (version, created) = try await registry.register(body, by: principal)
            if created, let alerting { await alerting.versionObserver.versionRegistered(version, at: clock.now()) }
            return try JSONBody.response(version, status: created ? .created : .ok)
        }
        routes.get("versions") { request, context in
            _ = try context.require(.read)
            return try JSONBody.response(VersionList(versions: try await registry.list(model: request.uri.queryParameters.get("model"))))
        }
        routes.get("models/:model/versions/:version") { _, context in
            _ = try context.require(.read)
            let record = try await registry.show(model: try context.pathParameter("model"), version: try context.pathParameter("version"))
            return try JSONBody.response(record.dto)
        }
        routes.get("models/:model/versions/:version/lineage") { _, context in
            _ = try context.require(.read)
            return try JSONBody.response(
                try await registry.lineage(model: try context.pathParameter("model"), version: try context.pathParameter("version")))
        }
        routes.put("models/:model/versions/:version/aliases/:alias") { request, context in
            let principal = try context.require(.versionsWrite)
            let bytes = try await JSONBody.bytes(request, limit: http.maxBodyBytes)
            let options = try AliasRequest.decode(bytes)
            let version = try await registry.setAlias(
                model: try context.pathParameter("model"), version: try context.pathParameter("version"),
                alias: try context.pathParameter("alias"), by: principal,
                promotionGuard: alerting?.promotionGuard ?? AllowAllPromotionGuard(), override: options.override ?? false)
            return try JSONBody.response(version)
        }
        routes.delete("models/:model/aliases/:alias") { _, context in
            let principal = try context.require(.versionsWrite)
            try await registry.removeAlias(model: try context.pathParameter("model"), alias: try context.pathParameter("alias"), by: principal)
            return Response(status: .noContent)
        }
        routes.post("models/:model/versions/:version/retire") { _, context in
            let principal = try context.require(.versionsWrite)
            return try JSONBody.response(
                try await registry.retire(model: try context.pathParameter("model"), version: try context.pathParameter("version"), by: principal))
        }
        routes.put("models/:model/versions/:version/profile") { request, context in
            let principal = try context.require(.versionsWrite)
            let (profile, _) = try await JSONBody.decode(ReferenceProfile.self, from: request, limit: http.maxBatchBodyBytes)
            let digest = try await registry.putProfile(
                profile, model: try context.pathParameter("model"), version: try context.pathParameter("version"), by: principal)
            return try JSONBody.response(DigestBody(digest: digest))
        }
        routes.get("models/:model/versions/:version/profile") { _, context in
            _ = try context.require(.profilesRead)
            let stored = try await registry.profile(model: try context.pathParameter("model"), version: try context.pathParameter("version"))
            var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
            headers[.eTag] = "\"\(stored.digest)\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: stored.json)))
        }
        return routes
    }
}

/// Optional body of `PUT …/aliases/{alias}`: `{"override": true}` promotes a version of a flagged training run.
struct AliasRequest: Decodable {
    var override: Bool?

    /// An empty body means no options.
    static func decode(_ bytes: [UInt8]) throws -> AliasRequest {
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else { return AliasRequest() }
        return try JSONBody.decode(AliasRequest.self, bytes)
    }
}
