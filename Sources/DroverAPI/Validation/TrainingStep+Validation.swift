extension TrainingStep: NestedValidatable {
    /// Checks schema version, the run id, a step ≥ 0, bounded layer names and a finite non-negative learning rate.
    ///
    /// `loss`, `grad_norm` and layer norms may be NaN or infinite: detecting that is the training monitor's job.
    public func validate(at path: String) throws(ValidationError) {
        try Check.schemaVersion(schemaVersion, Check.path(path, "schema_version"))
        try Check.id(runID, Check.path(path, "run_id"))
        try Check.nonNegative(step, Check.path(path, "step"))
        if let layerNorms {
            let normsPath = Check.path(path, "layer_norms")
            try Check.count(layerNorms.count, atMost: ValidationLimits.maxLayerNorms, normsPath)
            for name in layerNorms.keys.sorted() { try Check.id(name, Check.path(normsPath, key: name)) }
        }
        try Check.nonNegative(learningRate, Check.path(path, "learning_rate"))
    }
}
