import ControlPlaneCore
import DroverAPI
import Hummingbird

/// `/v1/agents…`: enrolment, listing, heartbeats.
struct AgentRoutes {
    let controlPlane: ControlPlane
    let http: HTTPConfiguration

    func collection() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post("agents/enroll") { request, context in
            let principal = try context.require(.agentsEnroll)
            let (body, _) = try await JSONBody.decode(EnrollRequest.self, from: request, limit: http.maxBodyBytes)
            try BodyValidation.validate(body)
            return try JSONBody.response(try await controlPlane.agents.enroll(body, by: principal), status: .created)
        }
        routes.get("agents") { request, context in
            _ = try context.require(.read)
            let model = request.uri.queryParameters.get("model")
            var state: AgentInfo.State?
            if let raw = request.uri.queryParameters.get("state") {
                guard let parsed = AgentInfo.State(rawValue: raw) else {
                    throw ControlPlaneError.invalidField("state", "must be active, stale or lost")
                }
                state = parsed
            }
            let agents = try await controlPlane.agents.list(model: model, state: state)
            return try JSONBody.response(AgentList(agents: agents.map(\.info)))
        }
        routes.get("agents/:agent") { _, context in
            let agentID = try context.pathParameter("agent")
            try context.requirePrincipal().requireAgent(agentID, orPermission: .read)
            return try JSONBody.response(AgentDetail(try await controlPlane.agents.show(agentID)))
        }
        routes.post("agents/:agent/heartbeat") { request, context in
            let agentID = try context.pathParameter("agent")
            let principal = try context.requirePrincipal()
            let (body, _) = try await JSONBody.decode(Heartbeat.self, from: request, limit: http.maxBodyBytes)
            try BodyValidation.validate(body)
            guard body.agentID == agentID else {
                throw ControlPlaneError.invalidField("agent_id", "must be \"\(agentID)\" as in the path")
            }
            try await controlPlane.agents.heartbeat(body, by: principal)
            return Response(status: .noContent)
        }
        return routes
    }
}
