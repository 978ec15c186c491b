/// What a credential is for; each role grants a fixed set of permissions (see `Role.permissions`).
public enum Role: String, Sendable, Codable, CaseIterable {
    /// Everything, including token management.
    case admin
    /// Changes versions, desired state and rollouts; reads everything an operator needs.
    case `operator`
    /// Reads fleet, agents, versions.
    case viewer
    /// Enrols agents (a bootstrap credential shipped with agent deployments).
    case enroll
    /// One enrolled agent: writes its own reports and observed state, reads its own desired state.
    case agent
}

/// One thing a credential may do; roles map to sets of these.
public struct Permission: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The permission's name, e.g. `versions.write`.
    public let rawValue: String
    /// Creates a permission from its name.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// The permission's name.
    public var description: String { rawValue }

    /// Read fleet health, agents, versions and profiles.
    public static let read = Permission(rawValue: "read")
    /// Read the audit log.
    public static let auditRead = Permission(rawValue: "audit.read")
    /// Register, alias and retire versions; upload reference profiles.
    public static let versionsWrite = Permission(rawValue: "versions.write")
    /// Set desired state of agents.
    public static let desiredWrite = Permission(rawValue: "desired.write")
    /// Start, pause, abort and roll back rollouts (rollout engine).
    public static let rolloutsWrite = Permission(rawValue: "rollouts.write")
    /// Create, list and revoke tokens.
    public static let tokensManage = Permission(rawValue: "tokens.manage")
    /// Enrol agents.
    public static let agentsEnroll = Permission(rawValue: "agents.enroll")
    /// Act as one agent: its reports, heartbeat, observed state and desired state only.
    public static let agentSelf = Permission(rawValue: "agent.self")
    /// Read reference profiles (agents need their version's profile).
    public static let profilesRead = Permission(rawValue: "profiles.read")
    /// Read alerts.
    public static let alertsRead = Permission(rawValue: "alerts.read")
    /// Manage alert rules, silences and receivers.
    public static let alertsManage = Permission(rawValue: "alerts.manage")
    /// Post training steps (training monitor).
    public static let trainingWrite = Permission(rawValue: "training.write")
    /// Manage retraining policies and override promotion blocks.
    public static let retrainingManage = Permission(rawValue: "retraining.manage")
}

extension Role {
    /// The permission table: what each role may do.
    public var permissions: Set<Permission> {
        switch self {
        case .admin:
            [.read, .auditRead, .versionsWrite, .desiredWrite, .rolloutsWrite, .tokensManage, .agentsEnroll, .profilesRead,
             .alertsRead, .alertsManage, .trainingWrite, .retrainingManage]
        case .operator:
            [.read, .auditRead, .versionsWrite, .desiredWrite, .rolloutsWrite, .profilesRead, .alertsRead, .alertsManage,
             .trainingWrite, .retrainingManage]
        case .viewer:
            [.read, .profilesRead, .alertsRead]
        case .enroll:
            [.agentsEnroll]
        case .agent:
            [.agentSelf, .profilesRead]
        }
    }

    /// Whether the role grants `permission`.
    public func allows(_ permission: Permission) -> Bool { permissions.contains(permission) }
}
