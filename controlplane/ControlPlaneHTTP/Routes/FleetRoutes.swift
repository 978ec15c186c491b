import ControlPlaneCore
import DroverAPI
import Hummingbird

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `/v1/fleet/health`: per model × version × zone over a time range.
struct FleetRoutes {
    let controlPlane: ControlPlane

    func collection() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("fleet/health") { request, context in
            _ = try context.require(.read)
            let q = request.uri.queryParameters
            func date(_ name: String) throws -> Date? {
                guard let raw = q.get(name) else { return nil }
                guard let date = RFC3339.parse(PercentDecoding.decode(raw)) else {
                    throw ControlPlaneError.invalidField(name, "must be an RFC 3339 timestamp like 2026-11-29T04:00:00Z")
                }
                return date
            }
            let health = try await controlPlane.fleet.health(
                model: q.get("model"), version: q.get("version"), zone: q.get("zone"), from: try date("from"), to: try date("to"))
            return try JSONBody.response(health)
        }
        return routes
    }
}
