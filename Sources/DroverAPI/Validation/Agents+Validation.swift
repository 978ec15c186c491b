extension EnrollRequest: NestedValidatable {
    /// Checks the agent id, model, labels, server kind and agent version.
    public func validate() throws(ValidationError) {
        try Check.id(agentID, "agent_id")
        try Check.pathSegment(model, "model")
        try Check.labels(labels, "labels")
        try Check.optionalID(serverKind, "server_kind")
        try Check.optionalID(agentVersion, "agent_version")
    }
}

extension EnrollResponse: NestedValidatable {
    /// Checks the agent id and a non-empty token.
    public func validate() throws(ValidationError) {
        try Check.id(agentID, "agent_id")
        try Check.id(token, "token")
    }
}

extension Heartbeat: NestedValidatable {
    /// Checks the agent id, version, labels, a spool depth ≥ 0 and the agent version.
    public func validate() throws(ValidationError) {
        try Check.id(agentID, "agent_id")
        if let version { try Check.pathSegment(version, "version") }
        if let labels { try Check.labels(labels, "labels") }
        try Check.nonNegative(spoolDepth, "spool_depth")
        try Check.optionalID(agentVersion, "agent_version")
    }
}
