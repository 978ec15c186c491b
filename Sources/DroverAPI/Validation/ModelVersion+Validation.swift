extension ModelVersion: NestedValidatable {
    /// Checks schema version, model and version ids, artifact URI and sha256, tensors, footprint, offline metrics,
    /// lineage, digest and aliases.
    public func validate(at path: String) throws(ValidationError) {
        try Check.schemaVersion(schemaVersion, Check.path(path, "schema_version"))
        try Check.pathSegment(model, Check.path(path, "model"))
        try Check.pathSegment(version, Check.path(path, "version"))
        try artifact.validate(at: Check.path(path, "artifact"))
        for (key, list) in [("inputs", inputs), ("outputs", outputs)] {
            let listPath = Check.path(path, key)
            try Check.elements(list, atMost: ValidationLimits.maxTensors, listPath)
            try Check.unique(list.map(\.name), listPath)
        }
        try footprint?.validate(at: Check.path(path, "footprint"))
        try Check.metrics(offlineMetrics, Check.path(path, "offline_metrics"))
        if let lineage {
            let lineagePath = Check.path(path, "lineage")
            try lineage.validate(at: lineagePath)
            if lineage.derivedFrom == version {
                throw ValidationError(
                    field: Check.path(lineagePath, "derived_from"), message: "a version cannot be derived from itself")
            }
        }
        try Check.optionalID(trainingRunID, Check.path(path, "training_run_id"))
        if let referenceProfileDigest {
            try Check.prefixedSHA256(referenceProfileDigest, Check.path(path, "reference_profile_digest"))
        }
        let aliasesPath = Check.path(path, "aliases")
        try Check.count(aliases.count, atMost: ValidationLimits.maxAliases, aliasesPath)
        for (index, alias) in aliases.enumerated() { try Check.pathSegment(alias, Check.path(aliasesPath, index)) }
        try Check.unique(aliases, aliasesPath)
        if let createdBy {
            try Check.text(createdBy, Check.path(path, "created_by"), maxLength: ValidationLimits.maxLabelValueLength)
        }
    }
}

extension Artifact: NestedValidatable {
    /// Checks a non-empty URI without whitespace (at most 2,048 bytes) and a 64-character lowercase hex sha256.
    public func validate(at path: String) throws(ValidationError) {
        let uriPath = Check.path(path, "uri")
        try Check.text(uri, uriPath, maxLength: ValidationLimits.maxURILength, allowEmpty: false)
        if uri.unicodeScalars.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
            throw ValidationError(field: uriPath, message: "must not contain whitespace; percent-encode it")
        }
        try Check.sha256Hex(sha256, Check.path(path, "sha256"))
    }
}

extension TensorSpec: NestedValidatable {
    /// Checks the name, datatype, a shape of at most 16 dimensions each ≥ -1, and unique feature names.
    public func validate(at path: String) throws(ValidationError) {
        try Check.id(name, Check.path(path, "name"))
        try Check.id(datatype, Check.path(path, "datatype"))
        let shapePath = Check.path(path, "shape")
        try Check.count(shape.count, atMost: ValidationLimits.maxShapeRank, shapePath)
        for (index, dimension) in shape.enumerated() where dimension < -1 {
            throw ValidationError(
                field: Check.path(shapePath, index), message: "must be a size ≥ 0 or -1 (variable), got \(dimension)")
        }
        if let features {
            let featuresPath = Check.path(path, "features")
            try Check.count(features.count, atMost: ValidationLimits.maxFeatures, featuresPath)
            for (index, feature) in features.enumerated() { try Check.id(feature, Check.path(featuresPath, index)) }
            try Check.unique(features, featuresPath)
        }
    }
}

extension ModelFootprint: NestedValidatable {
    /// Checks the precision name, non-negative sizes and a sparsity in [0, 1].
    public func validate(at path: String) throws(ValidationError) {
        try Check.id(precision, Check.path(path, "precision"))
        try Check.nonNegative(parameterCount, Check.path(path, "parameter_count"))
        try Check.nonNegative(bytes, Check.path(path, "bytes"))
        try Check.within(sparsity, 0...1, Check.path(path, "sparsity"))
    }
}

extension Lineage: NestedValidatable {
    /// Checks the parent version id and a bounded parameter map.
    public func validate(at path: String) throws(ValidationError) {
        try Check.pathSegment(derivedFrom, Check.path(path, "derived_from"))
        try Check.labels(parameters, Check.path(path, "parameters"), maxValueLength: ValidationLimits.maxTextLength)
    }
}
