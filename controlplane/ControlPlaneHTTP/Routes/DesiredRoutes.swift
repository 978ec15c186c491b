import ControlPlaneCore
import DroverAPI
import Hummingbird

/// Desired state (`PUT /v1/desired`, long-poll `GET /v1/agents/{id}/desired`) and observed state.
struct DesiredRoutes {
    let controlPlane: ControlPlane
    let http: HTTPConfiguration

    func collection() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        let desired = controlPlane.desired
        routes.put("desired") { request, context in
            let principal = try context.require(.desiredWrite)
            let (update, _) = try await JSONBody.decode(DesiredStateUpdate.self, from: request, limit: http.maxBodyBytes)
            let records = try await desired.set(update, by: principal)
            return try JSONBody.response(DesiredList(desired: records.map(\.dto)))
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
