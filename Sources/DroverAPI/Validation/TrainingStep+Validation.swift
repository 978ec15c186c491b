extension TrainingStep: NestedValidatable {
    /// Checks schema version, the run id, a step ≥ 0, bounded layer names and a finite non-negative learning rate.
    ///
    /// `loss`, `grad_norm` and layer norms may be NaN or infinite: detecting that is the training monitor's job.
    public func validate() throws(ValidationError) {
        try Check.schemaVersion(schemaVersion, "schema_version")
        try Check.id(runID, "run_id")
        try Check.nonNegative(step, "step")
        if let layerNorms {
            try Check.count(layerNorms.count, atMost: ValidationLimits.maxLayerNorms, "layer_norms")
            try Check.entries(layerNorms, "layer_norms") { name, _ throws(ValidationError) in try Check.id(name, "") }
        }
        try Check.nonNegative(learningRate, "learning_rate")
    }
}
