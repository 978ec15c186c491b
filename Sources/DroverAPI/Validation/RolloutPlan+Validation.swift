extension RolloutPlan: NestedValidatable {
    /// Checks schema version, model, version and baseline ids, and 1–32 uniquely named valid stages.
    public func validate() throws(ValidationError) {
        try Check.schemaVersion(schemaVersion, "schema_version")
        try Check.pathSegment(model, "model")
        try Check.pathSegment(version, "version")
        if let baseline {
            try Check.pathSegment(baseline, "baseline")
            if baseline == version {
                throw ValidationError(
                    field: "baseline", message: "must differ from the version being rolled out")
            }
        }
        if stages.isEmpty { throw ValidationError(field: "stages", message: "a plan needs at least one stage") }
        try Check.elements(stages, atMost: ValidationLimits.maxStages, "stages")
        try Check.uniqueKeys(stages, "stages", keyField: "name", key: \.name) {
            "duplicate stage name \"\($0)\"; stage names must be unique"
        }
    }
}

extension RolloutStage: NestedValidatable {
    /// Checks the name, selector, a percent in (0, 100], a bake time of 0–30 days and the gates.
    public func validate() throws(ValidationError) {
        try Check.text(name, "name", maxLength: 128, allowEmpty: false)
        try Check.labels(selector, "selector")
        try Check.finite(percent, "percent")
        if !(percent > 0 && percent <= 100) {
            throw ValidationError(field: "percent", message: "must be in (0, 100], got \(percent)")
        }
        try Check.nonNegative(bakeSeconds, "bake_seconds")
        if bakeSeconds > ValidationLimits.maxBakeSeconds {
            throw ValidationError(
                field: "bake_seconds",
                message: "must be at most \(ValidationLimits.maxBakeSeconds) (30 days), got \(bakeSeconds)")
        }
        try Check.elements(gates, atMost: ValidationLimits.maxGates, "gates")
    }
}

extension Gate: NestedValidatable {
    /// Checks the metric name, a finite threshold and min samples ≥ 0.
    public func validate() throws(ValidationError) {
        try Check.id(metric, "metric")
        try Check.finite(threshold, "threshold")
        try Check.nonNegative(minSamples, "min_samples")
    }
}
