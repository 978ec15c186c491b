import ControlPlaneCore
import DroverAPI
import Hummingbird

/// `GET /v1/retraining[/{id}]`: retrain requests, their evidence and outcomes (viewer).
struct RetrainingRoutes {
    let alerting: Alerting

    func collection() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("retraining") { request, context in
            _ = try context.require(.read)
            let q = request.uri.queryParameters
            let limit = try AlertingHTTP.limit(q.get("limit"))
            return try JSONBody.response(RetrainRequestList(requests: try await alerting.retrainStore.requests(model: q.get("model"), limit: limit)))
        }
        routes.get("retraining/:id") { _, context in
            _ = try context.require(.read)
            let id = try context.pathParameter("id")
            guard let request = try await alerting.retrainStore.request(id: id) else {
                throw ControlPlaneError.notFound("no retrain request \"\(id)\"; list them with GET /v1/retraining")
            }
            return try JSONBody.response(request)
        }
        return routes
    }
}

/// `GET /v1/retraining` body.
struct RetrainRequestList: Encodable {
    var requests: [RetrainRequest]
}
