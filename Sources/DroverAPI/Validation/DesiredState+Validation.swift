extension DesiredState: NestedValidatable {
    /// Checks schema version, agent, model and version ids, a generation ≥ 0, the plan id and the reason.
    public func validate() throws(ValidationError) {
        try Check.schemaVersion(schemaVersion, "schema_version")
        try Check.id(agentID, "agent_id")
        try Check.pathSegment(model, "model")
        try Check.pathSegment(version, "version")
        if generation < 0 {
            throw ValidationError(
                field: "generation", message: "must not be negative, got \(generation)")
        }
        try Check.optionalID(planID, "plan_id")
        try Check.text(reason, "reason")
    }
}

extension ObservedState: NestedValidatable {
    /// Checks ids, a generation ≥ 0, and that a failed apply says why.
    public func validate() throws(ValidationError) {
        try Check.id(agentID, "agent_id")
        try Check.pathSegment(model, "model")
        try Check.pathSegment(version, "version")
        if generation < 0 {
            throw ValidationError(
                field: "generation", message: "must not be negative, got \(generation)")
        }
        if let error { try Check.text(error, "error") }
        if status == .failed, (error ?? "").isEmpty {
            throw ValidationError(field: "error", message: "must say why when status is failed")
        }
    }
}

extension DesiredStateUpdate: NestedValidatable {
    /// Checks the selector labels, model and version ids and the reason.
    public func validate() throws(ValidationError) {
        try Check.labels(selector, "selector")
        try Check.pathSegment(model, "model")
        try Check.pathSegment(version, "version")
        try Check.text(reason, "reason")
    }
}
