extension RolloutPlan: NestedValidatable {
    /// Checks schema version, model, version and baseline ids, and 1–32 uniquely named valid stages.
    public func validate(at path: String) throws(ValidationError) {
        try Check.schemaVersion(schemaVersion, Check.path(path, "schema_version"))
        try Check.pathSegment(model, Check.path(path, "model"))
        try Check.pathSegment(version, Check.path(path, "version"))
        if let baseline {
            try Check.pathSegment(baseline, Check.path(path, "baseline"))
            if baseline == version {
                throw ValidationError(
                    field: Check.path(path, "baseline"), message: "must differ from the version being rolled out")
            }
        }
        let stagesPath = Check.path(path, "stages")
        if stages.isEmpty { throw ValidationError(field: stagesPath, message: "a plan needs at least one stage") }
        try Check.elements(stages, atMost: ValidationLimits.maxStages, stagesPath)
        try Check.uniqueKeys(stages, stagesPath, keyField: "name", key: \.name) {
            "duplicate stage name \"\($0)\"; stage names must be unique"
        }
    }
}

extension RolloutStage: NestedValidatable {
    /// Checks the name, selector, a percent in (0, 100], a bake time of 0–30 days and the gates.
    public func validate(at path: String) throws(ValidationError) {
        try Check.text(name, Check.path(path, "name"), maxLength: 128, allowEmpty: false)
        try Check.labels(selector, Check.path(path, "selector"))
        let percentPath = Check.path(path, "percent")
        try Check.finite(percent, percentPath)
        if !(percent > 0 && percent <= 100) {
            throw ValidationError(field: percentPath, message: "must be in (0, 100], got \(percent)")
        }
        let bakePath = Check.path(path, "bake_seconds")
        try Check.nonNegative(bakeSeconds, bakePath)
        if bakeSeconds > ValidationLimits.maxBakeSeconds {
            throw ValidationError(
                field: bakePath,
                message: "must be at most \(ValidationLimits.maxBakeSeconds) (30 days), got \(bakeSeconds)")
        }
        try Check.elements(gates, atMost: ValidationLimits.maxGates, Check.path(path, "gates"))
    }
}

extension Gate: NestedValidatable {
    /// Checks the metric name, a finite threshold and min samples ≥ 0.
    public func validate(at path: String) throws(ValidationError) {
        try Check.id(metric, Check.path(path, "metric"))
        try Check.finite(threshold, Check.path(path, "threshold"))
        try Check.nonNegative(minSamples, Check.path(path, "min_samples"))
    }
}
