extension PredictionEvent: NestedValidatable {
    /// Checks the request id, timestamp, model and version, at most 1,000 features, finite scores with matching
    /// items, and a finite non-negative latency.
    public func validate(at path: String) throws(ValidationError) {
        try Check.id(requestID, Check.path(path, "request_id"))
        if let at { try Check.timestamp(at, Check.path(path, "at")) }
        if let model { try Check.pathSegment(model, Check.path(path, "model")) }
        if let version { try Check.pathSegment(version, Check.path(path, "version")) }
        try Self.validateFeatures(features, Check.path(path, "features"))
        let scoresPath = Check.path(path, "scores")
        try Check.count(scores.count, atMost: ValidationLimits.maxScores, scoresPath)
        for (index, score) in scores.enumerated() { try Check.finite(score, Check.path(scoresPath, index)) }
        if let items {
            let itemsPath = Check.path(path, "items")
            if items.count != scores.count {
                throw ValidationError(
                    field: itemsPath, message: "must have one item per score (\(scores.count)), got \(items.count)")
            }
            for (index, item) in items.enumerated() { try Check.id(item, Check.path(itemsPath, index)) }
        }
        try Check.nonNegative(latencyMs, Check.path(path, "latency_ms"))
    }

    /// Checks at most 1,000 well-named features with finite numbers and bounded strings.
    static func validateFeatures(_ features: [String: FeatureValue], _ field: String) throws(ValidationError) {
        try Check.count(features.count, atMost: ValidationLimits.maxFeatures, field)
        for name in features.keys.sorted() {
            let featurePath = Check.path(field, key: name)
            try Check.id(name, featurePath)
            switch features[name]! {
            case .number(let value): try Check.finite(value, featurePath)
            case .string(let value): try Check.text(value, featurePath, maxLength: ValidationLimits.maxLabelValueLength)
            }
        }
    }
}

extension LabelEvent: NestedValidatable {
    /// Checks the request id, a finite value (required, 0 or 1, for `label`), the item and the timestamp.
    public func validate(at path: String) throws(ValidationError) {
        try Check.id(requestID, Check.path(path, "request_id"))
        let valuePath = Check.path(path, "value")
        try Check.finite(value, valuePath)
        if kind == .label {
            guard let value else {
                throw ValidationError(field: valuePath, message: "a label event needs a value of 0 or 1")
            }
            if value != 0 && value != 1 {
                throw ValidationError(field: valuePath, message: "a label event's value must be 0 or 1, got \(value)")
            }
        }
        try Check.optionalID(item, Check.path(path, "item"))
        if let at { try Check.timestamp(at, Check.path(path, "at")) }
    }
}

extension GoldenRecord: NestedValidatable {
    /// Checks ids, features, a label of 0 or 1 and a relevance in [0, 3], and that it has one of them.
    public func validate(at path: String) throws(ValidationError) {
        try Check.id(id, Check.path(path, "id"))
        try Check.optionalID(queryID, Check.path(path, "query_id"))
        try Check.optionalID(item, Check.path(path, "item"))
        try PredictionEvent.validateFeatures(features, Check.path(path, "features"))
        if let label, label != 0 && label != 1 {
            throw ValidationError(field: Check.path(path, "label"), message: "must be 0 or 1, got \(label)")
        }
        try Check.within(relevance, 0...3, Check.path(path, "relevance"))
        if label == nil && relevance == nil {
            throw ValidationError(
                field: Check.path(path, "label"),
                message: "a golden record needs a label (classification) or a relevance (ranking)")
        }
    }
}
