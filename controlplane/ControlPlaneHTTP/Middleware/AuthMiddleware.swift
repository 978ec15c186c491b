import ControlPlaneCore
import Hummingbird

/// Reads `Authorization: Bearer drv_…`, authenticates it and stores the caller in the context.
/// A missing header leaves the caller empty (routes then answer 401); a bad token is refused at once.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let tokens: TokenService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw ControlPlaneError.unauthorized("the Authorization header must be `Bearer drv_…`")
        }
        var context = context
        context.principal = try await tokens.authenticate(String(parts[1]).trimmingSpaces())
        return try await next(request, context)
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
