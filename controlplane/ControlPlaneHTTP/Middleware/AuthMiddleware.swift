import ControlPlaneCore
import Hummingbird

/// Reads `Authorization: Bearer drv_…`, authenticates it and stores the caller in the context.
/// A missing header leaves the caller empty (routes then answer 401); a bad token is refused at once.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let tokens: TokenService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        guard let secret = Self.bearerToken(header) else {
            throw ControlPlaneError.unauthorized("the Authorization header must be `Bearer drv_…`")
        }
        var context = context
        context.principal = try await tokens.authenticate(secret)
        return try await next(request, context)
    }

    /// The token of a `Bearer <token>` header value (scheme case-insensitive, spaces around the token ignored), or
    /// nil for another scheme or an empty token. Works on the UTF-8 bytes: one String for the token, nothing else.
    static func bearerToken(_ header: String) -> String? {
        let utf8 = header.utf8
        let scheme = "bearer".utf8
        guard utf8.count > scheme.count else { return nil }
        var index = utf8.startIndex
        for expected in scheme {
            guard utf8[index] | 0x20 == expected else { return nil }  // ASCII lowercase
            index = utf8.index(after: index)
        }
        guard utf8[index] == UInt8(ascii: " ") else { return nil }
        var start = utf8.index(after: index)
        var end = utf8.endIndex
        while start < end, utf8[start] == UInt8(ascii: " ") { start = utf8.index(after: start) }
        while end > start, utf8[utf8.index(before: end)] == UInt8(ascii: " ") { end = utf8.index(before: end) }
        guard start < end else { return nil }
        return String(Substring(header.utf8[start..<end]))
    }
}
