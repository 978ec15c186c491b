import ControlPlaneCore
import Hummingbird

/// The one request context of the control plane: Hummingbird's core storage plus the authenticated caller.
public struct AppRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The caller, set by `AuthMiddleware` when a valid bearer token was sent.
    public var principal: Principal?

    /// Creates a context for one request.
    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.principal = nil
    }

    /// The caller, or `unauthorized` when the request carried no token.
    public func requirePrincipal() throws(ControlPlaneError) -> Principal {
        guard let principal else {
            throw .unauthorized("this endpoint needs a bearer token: send `Authorization: Bearer drv_…`")
        }
        return principal
    }

    /// The caller, if it holds `permission`; 401 without a token, 403 without the permission.
    public func require(_ permission: Permission) throws(ControlPlaneError) -> Principal {
        let principal = try requirePrincipal()
        try principal.require(permission)
        return principal
    }
}
