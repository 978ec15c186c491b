extension EnrollRequest: NestedValidatable {
    /// Checks the agent id, model, labels, server kind and agent version.
    public func validate(at path: String) throws(ValidationError) {
        try Check.id(agentID, Check.path(path, "agent_id"))
        try Check.pathSegment(model, Check.path(path, "model"))
        try Check.labels(labels, Check.path(path, "labels"))
        try Check.optionalID(serverKind, Check.path(path, "server_kind"))
        try Check.optionalID(agentVersion, Check.path(path, "agent_version"))
    }
}

extension EnrollResponse: NestedValidatable {
    /// Checks the agent id and a non-empty token.
    public func validate(at path: String) throws(ValidationError) {
        try Check.id(agentID, Check.path(path, "agent_id"))
        try Check.id(token, Check.path(path, "token"))
    }
}

extension Heartbeat: NestedValidatable {
    /// Checks the agent id, version, labels and a spool depth ≥ 0.
    public func validate(at path: String) throws(ValidationError) {
        try Check.id(agentID, Check.path(path, "agent_id"))
        if let version { try Check.pathSegment(version, Check.path(path, "version")) }
        if let labels { try Check.labels(labels, Check.path(path, "labels")) }
        try Check.nonNegative(spoolDepth, Check.path(path, "spool_depth"))
    }
}
