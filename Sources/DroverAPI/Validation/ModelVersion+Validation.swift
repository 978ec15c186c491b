extension ModelVersion: NestedValidatable {
    /// Checks schema version, model and version ids, artifact URI and sha256, tensors, footprint, offline metrics,
    /// lineage, digest and aliases.
    public func validate() throws(ValidationError) {
        try Check.schemaVersion(schemaVersion, "schema_version")
        try Check.pathSegment(model, "model")
        try Check.pathSegment(version, "version")
        try artifact.validate(at: "artifact")
        try Self.validateTensors(inputs, "inputs")
        try Self.validateTensors(outputs, "outputs")
        try footprint?.validate(at: "footprint")
        try Check.metrics(offlineMetrics, "offline_metrics")
        if let lineage {
            try lineage.validate(at: "lineage")
            if lineage.derivedFrom == version {
                throw ValidationError(field: "lineage.derived_from", message: "a version cannot be derived from itself")
            }
        }
        try Check.optionalID(trainingRunID, "training_run_id")
        if let referenceProfileDigest {
            try Check.prefixedSHA256(referenceProfileDigest, "reference_profile_digest")
        }
        try Check.count(aliases.count, atMost: ValidationLimits.maxAliases, "aliases")
        try Check.each(aliases, "aliases") { alias throws(ValidationError) in try Check.pathSegment(alias, "") }
        try Check.unique(aliases, "aliases")
        if let createdBy {
            try Check.text(createdBy, "created_by", maxLength: ValidationLimits.maxLabelValueLength)
        }
    }

    /// Checks one side's tensor list under `field`: at most 1,000 valid specs with unique names.
    private static func validateTensors(_ list: [TensorSpec], _ field: String) throws(ValidationError) {
        try Check.elements(list, atMost: ValidationLimits.maxTensors, field)
        try Check.unique(list.map(\.name), field)
    }
}

extension Artifact: NestedValidatable {
    /// Checks a non-empty URI without whitespace (at most 2,048 bytes) and a 64-character lowercase hex sha256.
    public func validate() throws(ValidationError) {
        try Check.text(uri, "uri", maxLength: ValidationLimits.maxURILength, allowEmpty: false)
        if uri.unicodeScalars.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
            throw ValidationError(field: "uri", message: "must not contain whitespace; percent-encode it")
        }
        try Check.sha256Hex(sha256, "sha256")
    }
}

extension TensorSpec: NestedValidatable {
    /// Checks the name, datatype, a shape of at most 16 dimensions each ≥ -1, and unique feature names.
    public func validate() throws(ValidationError) {
        try Check.id(name, "name")
        try Check.id(datatype, "datatype")
        try Check.count(shape.count, atMost: ValidationLimits.maxShapeRank, "shape")
        for (index, dimension) in shape.enumerated() where dimension < -1 {
            throw ValidationError(field: "", message: "must be a size ≥ 0 or -1 (variable), got \(dimension)")
                .under(index: index).under("shape")
        }
        if let features {
            try Check.count(features.count, atMost: ValidationLimits.maxFeatures, "features")
            try Check.each(features, "features") { feature throws(ValidationError) in try Check.id(feature, "") }
            try Check.unique(features, "features")
        }
    }
}

extension ModelFootprint: NestedValidatable {
    /// Checks the precision name, non-negative sizes and a sparsity in [0, 1].
    public func validate() throws(ValidationError) {
        try Check.id(precision, "precision")
        try Check.nonNegative(parameterCount, "parameter_count")
        try Check.nonNegative(bytes, "bytes")
        try Check.within(sparsity, 0...1, "sparsity")
    }
}

extension Lineage: NestedValidatable {
    /// Checks the parent version id and a bounded parameter map.
    public func validate() throws(ValidationError) {
        try Check.pathSegment(derivedFrom, "derived_from")
        try Check.labels(parameters, "parameters", maxValueLength: ValidationLimits.maxTextLength)
    }
}
