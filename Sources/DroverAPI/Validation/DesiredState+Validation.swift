extension DesiredState: NestedValidatable {
    /// Checks schema version, agent, model and version ids, a generation ≥ 0, the plan id and the reason.
    public func validate(at path: String) throws(ValidationError) {
        try Check.schemaVersion(schemaVersion, Check.path(path, "schema_version"))
        try Check.id(agentID, Check.path(path, "agent_id"))
        try Check.pathSegment(model, Check.path(path, "model"))
        try Check.pathSegment(version, Check.path(path, "version"))
        if generation < 0 {
            throw ValidationError(
                field: Check.path(path, "generation"), message: "must not be negative, got \(generation)")
        }
        try Check.optionalID(planID, Check.path(path, "plan_id"))
        try Check.text(reason, Check.path(path, "reason"))
    }
}

extension ObservedState: NestedValidatable {
    /// Checks ids, a generation ≥ 0, and that a failed apply says why.
    public func validate(at path: String) throws(ValidationError) {
        try Check.id(agentID, Check.path(path, "agent_id"))
        try Check.pathSegment(model, Check.path(path, "model"))
        try Check.pathSegment(version, Check.path(path, "version"))
        if generation < 0 {
            throw ValidationError(
                field: Check.path(path, "generation"), message: "must not be negative, got \(generation)")
        }
        if let error { try Check.text(error, Check.path(path, "error")) }
        if status == .failed, (error ?? "").isEmpty {
            throw ValidationError(field: Check.path(path, "error"), message: "must say why when status is failed")
        }
    }
}

extension DesiredStateUpdate: NestedValidatable {
    /// Checks the selector labels, model and version ids and the reason.
    public func validate(at path: String) throws(ValidationError) {
        try Check.labels(selector, Check.path(path, "selector"))
        try Check.pathSegment(model, Check.path(path, "model"))
        try Check.pathSegment(version, Check.path(path, "version"))
        try Check.text(reason, Check.path(path, "reason"))
    }
}
