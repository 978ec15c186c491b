/// The authenticated caller of a request: which token, which role, and for agents which agent.
public struct Principal: Sendable, Equatable {
    /// The token's id (not its secret).
    public var tokenID: String
    /// The token's name, for the audit log.
    public var name: String
    /// The role.
    public var role: Role
    /// The agent this credential belongs to, for `agent` tokens.
    public var agentID: String?

    /// Creates a principal.
    public init(tokenID: String, name: String, role: Role, agentID: String? = nil) {
        self.tokenID = tokenID
        self.name = name
        self.role = role
        self.agentID = agentID
    }

    /// The principal used for changes made by the server itself (bootstrap, retention).
    public static let system = Principal(tokenID: "-", name: "system", role: .admin)

    /// `name (role)`, as written in the audit log.
    public var actor: String { "\(name) (\(role.rawValue))" }

    /// Throws `forbidden` unless the role grants `permission`.
    public func require(_ permission: Permission) throws(ControlPlaneError) {
        guard role.allows(permission) else {
            throw .forbidden("a \(role.rawValue) token may not do this (needs \(permission.rawValue)); use a token with a role that grants it")
        }
    }

    /// Throws unless this principal may act for `agentID`: its own agent token, or a role holding `permission`.
    public func requireAgent(_ agentID: String, orPermission permission: Permission? = nil) throws(ControlPlaneError) {
        if role == .agent {
            guard self.agentID == agentID else {
                throw .forbidden("this agent credential belongs to \"\(self.agentID ?? "?")\"; an agent may only act for itself")
            }
            return
        }
        guard let permission, role.allows(permission) else {
            throw .forbidden("only agent \"\(agentID)\" may do this with its own credential")
        }
    }
}
