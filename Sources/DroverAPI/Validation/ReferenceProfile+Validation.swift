extension ReferenceProfile: NestedValidatable {
    /// Checks schema version, model and version ids, and at most 1,000 uniquely named features and outputs.
    public func validate() throws(ValidationError) {
        try Check.schemaVersion(schemaVersion, "schema_version")
        try Check.pathSegment(model, "model")
        try Check.pathSegment(version, "version")
        try Check.featureLists(features: features, outputs: outputs, name: \.name)
    }
}

extension FeatureProfile: NestedValidatable {
    /// Checks the fields the kind needs: numeric edges strictly increasing with `edges.count + 1` counts;
    /// categorical unique categories with `categories.count + 1` counts (`__other__` last); embedding a finite centroid.
    public func validate() throws(ValidationError) {
        try Check.id(name, "name")
        try Check.nonNegative(n, "n")
        switch kind {
        case .numeric:
            guard let edges else {
                throw ValidationError(field: "edges", message: "a numeric feature needs interior bin edges")
            }
            try Check.edges(edges, atMost: ValidationLimits.maxBins - 1, "edges")
            guard let counts else {
                throw ValidationError(field: "counts", message: "a numeric feature needs reference counts per bin")
            }
            try Check.binCounts(
                counts, boundaries: edges.count, boundaryField: "edges", note: "one per bin", "counts")
        case .categorical:
            guard let categories else {
                throw ValidationError(field: "categories", message: "a categorical feature needs its top categories")
            }
            try Check.count(categories.count, atMost: ValidationLimits.maxBins, "categories")
            try Check.each(categories, "categories") { category throws(ValidationError) in
                try Check.text(category, "", maxLength: ValidationLimits.maxLabelValueLength)
                if category == DriftCounts.otherCategory {
                    throw ValidationError(
                        field: "",
                        message: "\"\(DriftCounts.otherCategory)\" is implicit (the last count); do not list it")
                }
            }
            try Check.unique(categories, "categories")
            guard let counts else {
                throw ValidationError(
                    field: "counts", message: "a categorical feature needs reference counts per category")
            }
            try Check.binCounts(
                counts, boundaries: categories.count, boundaryField: "categories", note: "\"__other__\" last",
                "counts")
        case .embedding:
            guard let centroid, !centroid.isEmpty else {
                throw ValidationError(
                    field: "centroid", message: "an embedding feature needs a non-empty reference centroid")
            }
            try Check.count(centroid.count, atMost: ValidationLimits.maxEmbeddingDimensions, "centroid")
            try Check.each(centroid, "centroid") { value throws(ValidationError) in try Check.finite(value, "") }
            if let dimensionStd {
                if dimensionStd.count != centroid.count {
                    throw ValidationError(
                        field: "dimension_std",
                        message:
                            "must have one entry per centroid dimension (\(centroid.count)), got \(dimensionStd.count)")
                }
                try Check.each(dimensionStd, "dimension_std") { value throws(ValidationError) in
                    try Check.nonNegative(value, "")
                }
            }
        }
    }
}
