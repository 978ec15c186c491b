extension ReferenceProfile: NestedValidatable {
    /// Checks schema version, model and version ids, and at most 1,000 uniquely named features and outputs.
    public func validate(at path: String) throws(ValidationError) {
        try Check.schemaVersion(schemaVersion, Check.path(path, "schema_version"))
        try Check.pathSegment(model, Check.path(path, "model"))
        try Check.pathSegment(version, Check.path(path, "version"))
        try Check.featureLists(features: features, outputs: outputs, path, name: \.name)
    }
}

extension FeatureProfile: NestedValidatable {
    /// Checks the fields the kind needs: numeric edges strictly increasing with `edges.count + 1` counts;
    /// categorical unique categories with `categories.count + 1` counts (`__other__` last); embedding a finite centroid.
    public func validate(at path: String) throws(ValidationError) {
        try Check.id(name, Check.path(path, "name"))
        try Check.nonNegative(n, Check.path(path, "n"))
        let countsPath = Check.path(path, "counts")
        switch kind {
        case .numeric:
            let edgesPath = Check.path(path, "edges")
            guard let edges else {
                throw ValidationError(field: edgesPath, message: "a numeric feature needs interior bin edges")
            }
            try Check.edges(edges, atMost: ValidationLimits.maxBins - 1, edgesPath)
            guard let counts else {
                throw ValidationError(field: countsPath, message: "a numeric feature needs reference counts per bin")
            }
            try Check.binCounts(
                counts, boundaries: edges.count, boundaryField: "edges", note: "one per bin", countsPath)
        case .categorical:
            let categoriesPath = Check.path(path, "categories")
            guard let categories else {
                throw ValidationError(field: categoriesPath, message: "a categorical feature needs its top categories")
            }
            try Check.count(categories.count, atMost: ValidationLimits.maxBins, categoriesPath)
            for (index, category) in categories.enumerated() {
                let categoryPath = Check.path(categoriesPath, index)
                try Check.text(category, categoryPath, maxLength: ValidationLimits.maxLabelValueLength)
                if category == DriftCounts.otherCategory {
                    throw ValidationError(
                        field: categoryPath,
                        message: "\"\(DriftCounts.otherCategory)\" is implicit (the last count); do not list it")
                }
            }
            try Check.unique(categories, categoriesPath)
            guard let counts else {
                throw ValidationError(
                    field: countsPath, message: "a categorical feature needs reference counts per category")
            }
            try Check.binCounts(
                counts, boundaries: categories.count, boundaryField: "categories", note: "\"__other__\" last",
                countsPath)
        case .embedding:
            let centroidPath = Check.path(path, "centroid")
            guard let centroid, !centroid.isEmpty else {
                throw ValidationError(
                    field: centroidPath, message: "an embedding feature needs a non-empty reference centroid")
            }
            try Check.count(centroid.count, atMost: ValidationLimits.maxEmbeddingDimensions, centroidPath)
            for (index, value) in centroid.enumerated() { try Check.finite(value, Check.path(centroidPath, index)) }
            if let dimensionStd {
                let stdPath = Check.path(path, "dimension_std")
                if dimensionStd.count != centroid.count {
                    throw ValidationError(
                        field: stdPath,
                        message:
                            "must have one entry per centroid dimension (\(centroid.count)), got \(dimensionStd.count)")
                }
                for (index, value) in dimensionStd.enumerated() {
                    try Check.nonNegative(value, Check.path(stdPath, index))
                }
            }
        }
    }
}
