import ControlPlaneCore
import Hummingbird

/// `GET /v1/audit`: who changed what, when.
struct AuditRoutes {
    let controlPlane: ControlPlane

    func collection() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("audit") { request, context in
            let principal = try context.requirePrincipal()
            let q = request.uri.queryParameters
            var after: Int64 = 0
            var limit = 100
            if let raw = q.get("after") {
                guard let v = Int64(raw), v >= 0 else { throw ControlPlaneError.invalidField("after", "must be a sequence number ≥ 0") }
                after = v
            }
            if let raw = q.get("limit") {
                guard let v = Int(raw), v > 0 else { throw ControlPlaneError.invalidField("limit", "must be a positive integer") }
                limit = v
            }
            return try JSONBody.response(AuditList(entries: try await controlPlane.audit.entries(after: after, limit: limit, by: principal)))
        }
        return routes
    }
}
