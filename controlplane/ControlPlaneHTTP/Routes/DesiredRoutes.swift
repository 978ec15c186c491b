import ControlPlaneCore
import DroverAPI
import Hummingbird

/// Desired state (`PUT /v1/desired`, long-poll `GET /v1/agents/{id}/desired`), observed state, and the schema
/// check a desired-state change runs first (`GET /v1/models/{m}/versions/{v}/schema-check?selector=k=v,…`).
struct DesiredRoutes {
    let controlPlane: ControlPlane
    let http: HTTPConfiguration

    func collection() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        let desired = controlPlane.desired
        routes.put("desired") { request, context in
            let principal = try context.require(.desiredWrite)
            let (update, _) = try await JSONBody.decode(DesiredStateUpdate.self, from: request, limit: http.maxBodyBytes)
            do {
                let change = try await desired.apply(update, by: principal)
                return try JSONBody.response(
                    DesiredStateResult(desired: change.records.map(\.dto), schemaCheck: change.schemaCheck, forced: change.forced))
            } catch let error as SchemaMismatchError {
                return try JSONBody.response(SchemaMismatchBody(error), status: .conflict)
            }
        }
        routes.get("models/:model/versions/:version/schema-check") { request, context in
            let principal = try context.require(.read)
            let selector = try Self.selector(request.uri.queryParameters.get("selector").map { PercentDecoding.decode($0) })
            return try JSONBody.response(
                try await desired.schemaCheck(
                    model: try context.pathParameter("model"), version: try context.pathParameter("version"), selector: selector,
                    by: principal))
        }
        routes.get("agents/:agent/desired") { request, context in
            let agentID = try context.pathParameter("agent")
            let principal = try context.requirePrincipal()
            let q = request.uri.queryParameters
            var after: Int64 = 0
            if let raw = q.get("after") {
                guard let value = Int64(raw), value >= 0 else { throw ControlPlaneError.invalidField("after", "must be a generation ≥ 0") }
                after = value
            }
            var wait = 0
            if let raw = q.get("wait") {
                guard let value = Int(raw), value >= 0 else { throw ControlPlaneError.invalidField("wait", "must be whole seconds ≥ 0") }
                wait = value
            }
            if principal.role == .agent, try await controlPlane.store.agent(id: agentID) == nil, principal.agentID == agentID {
                throw ControlPlaneError.notFound("agent \"\(agentID)\" is not enrolled")
            }
            guard
                let record = try await desired.wait(
                    agentID: agentID, after: after, wait: .seconds(wait), clock: ContinuousClock(), by: principal)
            else {
                return Response(status: .noContent)
            }
            return try JSONBody.response(record.dto)
        }
        routes.put("agents/:agent/observed") { request, context in
            let agentID = try context.pathParameter("agent")
            let principal = try context.requirePrincipal()
            let (observed, _) = try await JSONBody.decode(ObservedState.self, from: request, limit: http.maxBodyBytes)
            guard observed.agentID == agentID else {
                throw ControlPlaneError.invalidField("agent_id", "must be \"\(agentID)\" as in the path")
            }
            try await desired.observe(observed, by: principal)
            return Response(status: .noContent)
        }
        return routes
    }
}

extension DesiredRoutes {
    /// Parses `k=v,k=v` (empty: every agent of the model).
    static func selector(_ text: String?) throws(ControlPlaneError) -> [String: String] {
        guard let text, !text.isEmpty else { return [:] }
        var out: [String: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw .invalidField("selector", "must be label pairs like zone=eu-1,pool=a, got \"\(pair)\"")
            }
            out[String(parts[0])] = String(parts[1])
        }
        return out
    }
}

/// The 409 body of a refused desired-state change: the usual error plus the whole schema check.
struct SchemaMismatchBody: Encodable {
    var error: APIErrorBody.Detail
    var schemaCheck: SchemaCheck

    init(_ mismatch: SchemaMismatchError) {
        error = APIErrorBody(code: mismatch.codeName, message: mismatch.message, field: "version").error
        schemaCheck = mismatch.check
    }

    enum CodingKeys: String, CodingKey { case error, schemaCheck = "schema_check" }
}
