import ControlPlaneCore
import DroverAPI
import Hummingbird

/// `/v1/tokens…` (admin): create (secret shown once), list, revoke.
struct TokenRoutes {
    let controlPlane: ControlPlane
    let http: HTTPConfiguration

    func collection() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post("tokens") { request, context in
            let principal = try context.require(.tokensManage)
            let (body, _) = try await JSONBody.decode(TokenCreateRequest.self, from: request, limit: http.maxBodyBytes)
            try BodyValidation.validate(body)
            guard let role = Role(rawValue: body.role), role != .agent else {
                throw ControlPlaneError.invalidField("role", "must be admin, operator, viewer or enroll (agent tokens come from enrolment)")
            }
            let issued = try await controlPlane.tokens.create(role: role, name: body.name, by: principal)
            return try JSONBody.response(
                TokenCreateResponse(
                    id: issued.record.id, name: issued.record.name, role: role.rawValue, token: issued.secret,
                    createdAt: issued.record.createdAt),
                status: .created)
        }
        routes.get("tokens") { _, context in
            _ = try context.require(.tokensManage)
            return try JSONBody.response(TokenList(tokens: try await controlPlane.tokens.list().map(TokenSummary.init)))
        }
        routes.delete("tokens/:id") { _, context in
            let principal = try context.require(.tokensManage)
            try await controlPlane.tokens.revoke(id: try context.pathParameter("id"), by: principal)
            return Response(status: .noContent)
        }
        return routes
    }
}
