extension PredictionEvent: NestedValidatable {
    /// Checks the request id, timestamp, model and version, at most 1,000 features, finite scores with matching
    /// items, and a finite non-negative latency.
    public func validate() throws(ValidationError) {
        try Check.id(requestID, "request_id")
        if let at { try Check.timestamp(at, "at") }
        if let model { try Check.pathSegment(model, "model") }
        if let version { try Check.pathSegment(version, "version") }
        try Self.validateFeatures(features, "features")
        try Check.count(scores.count, atMost: ValidationLimits.maxScores, "scores")
        try Check.each(scores, "scores") { score throws(ValidationError) in try Check.finite(score, "") }
        if let items {
            if items.count != scores.count {
                throw ValidationError(
                    field: "items", message: "must have one item per score (\(scores.count)), got \(items.count)")
            }
            try Check.each(items, "items") { item throws(ValidationError) in try Check.id(item, "") }
        }
        try Check.nonNegative(latencyMs, "latency_ms")
    }

    /// Checks at most 1,000 well-named features with finite numbers and bounded strings.
    static func validateFeatures(_ features: [String: FeatureValue], _ field: String) throws(ValidationError) {
        try Check.count(features.count, atMost: ValidationLimits.maxFeatures, field)
        try Check.entries(features, field) { name, value throws(ValidationError) in
            try Check.id(name, "")
            switch value {
            case .number(let value): try Check.finite(value, "")
            case .string(let value): try Check.text(value, "", maxLength: ValidationLimits.maxLabelValueLength)
            }
        }
    }
}

extension LabelEvent: NestedValidatable {
    /// Checks the request id, a finite value (required, 0 or 1, for `label`), the item and the timestamp.
    public func validate() throws(ValidationError) {
        try Check.id(requestID, "request_id")
        try Check.finite(value, "value")
        if kind == .label {
            guard let value else {
                throw ValidationError(field: "value", message: "a label event needs a value of 0 or 1")
            }
            if value != 0 && value != 1 {
                throw ValidationError(field: "value", message: "a label event's value must be 0 or 1, got \(value)")
            }
        }
        try Check.optionalID(item, "item")
        if let at { try Check.timestamp(at, "at") }
    }
}

extension GoldenRecord: NestedValidatable {
    /// Checks ids, features, a label of 0 or 1 and a relevance in [0, 3], and that it has one of them.
    public func validate() throws(ValidationError) {
        try Check.id(id, "id")
        try Check.optionalID(queryID, "query_id")
        try Check.optionalID(item, "item")
        try PredictionEvent.validateFeatures(features, "features")
        if let label, label != 0 && label != 1 {
            throw ValidationError(field: "label", message: "must be 0 or 1, got \(label)")
        }
        try Check.within(relevance, 0...3, "relevance")
        if label == nil && relevance == nil {
            throw ValidationError(
                field: "label",
                message: "a golden record needs a label (classification) or a relevance (ranking)")
        }
    }
}
