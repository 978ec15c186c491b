#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension Report: NestedValidatable {
    /// Checks schema version, ids, window, every block, drift sizes and events.
    public func validate(at path: String) throws(ValidationError) {
        try Check.schemaVersion(schemaVersion, Check.path(path, "schema_version"))
        try Check.id(id, Check.path(path, "id"))
        try Check.id(agentID, Check.path(path, "agent_id"))
        try Check.pathSegment(model, Check.path(path, "model"))
        try Check.pathSegment(version, Check.path(path, "version"))
        try window.validate(at: Check.path(path, "window"))
        try health.validate(at: Check.path(path, "health"))
        try latencyMs?.validate(at: Check.path(path, "latency_ms"))
        try errors.validate(at: Check.path(path, "errors"))
        try resources?.validate(at: Check.path(path, "resources"))
        try validation?.validate(at: Check.path(path, "validation"))
        try online?.validate(at: Check.path(path, "online"))
        try drift?.validate(at: Check.path(path, "drift"))
        try dropped.validate(at: Check.path(path, "dropped"))
        try Check.elements(events, atMost: ValidationLimits.maxEvents, Check.path(path, "events"))
    }
}

extension TimeWindow: NestedValidatable {
    /// Checks that `end` is after `start` and the window is at most a day long.
    public func validate(at path: String) throws(ValidationError) {
        let length = end.timeIntervalSince(start)
        if !(length > 0) {
            throw ValidationError(
                field: Check.path(path, "end"),
                message: "must be after start (\(RFC3339.format(start))), got \(RFC3339.format(end))")
        }
        if length > ValidationLimits.maxWindowSeconds {
            throw ValidationError(
                field: Check.path(path, "end"),
                message:
                    "window is \(Int(length)) s long; at most \(Int(ValidationLimits.maxWindowSeconds)) s is allowed")
        }
    }
}

extension HealthBlock: NestedValidatable {
    /// Checks that probe counts are non-negative and failures do not exceed probes.
    public func validate(at path: String) throws(ValidationError) {
        try Check.nonNegative(probes, Check.path(path, "probes"))
        try Check.nonNegative(probeFailures, Check.path(path, "probe_failures"))
        try Check.nonNegative(consecutiveFailures, Check.path(path, "consecutive_failures"))
        if probeFailures > probes {
            throw ValidationError(
                field: Check.path(path, "probe_failures"),
                message: "must not exceed probes (\(probes)), got \(probeFailures)")
        }
    }
}

extension Histogram: NestedValidatable {
    /// Checks `counts.count == bounds.count + 1`, bounds finite and strictly increasing, counts non-negative.
    public func validate(at path: String) throws(ValidationError) {
        let boundsPath = Check.path(path, "bounds")
        let countsPath = Check.path(path, "counts")
        try Check.edges(bounds, atMost: ValidationLimits.maxHistogramBuckets, boundsPath)
        try Check.binCounts(
            counts, boundaries: bounds.count, boundaryField: "bounds", note: "the last bucket is above the last bound",
            countsPath)
    }
}

extension LatencyBlock: NestedValidatable {
    /// Checks the count, finite non-negative ordered percentiles (p50 ≤ p90 ≤ p99 ≤ max) and the histogram.
    public func validate(at path: String) throws(ValidationError) {
        try Check.nonNegative(count, Check.path(path, "count"))
        let named: [(String, Double?)] = [("p50", p50), ("p90", p90), ("p99", p99), ("max", max)]
        var previous: (String, Double)?
        for (name, value) in named {
            guard let value else { continue }
            try Check.nonNegative(value, Check.path(path, name))
            // A little slack: percentiles interpolated in floating point may overshoot by an ulp.
            if let (previousName, previousValue) = previous,
                value < previousValue - 1e-9 * Swift.max(1, abs(previousValue))
            {
                throw ValidationError(
                    field: Check.path(path, name),
                    message:
                        "percentiles must be ordered: \(name) (\(value)) is below \(previousName) (\(previousValue))")
            }
            previous = (name, value)
        }
        try histogram.validate(at: Check.path(path, "histogram"))
    }
}

extension ErrorBlock: NestedValidatable {
    /// Checks non-negative counts and a bounded set of well-formed kinds.
    public func validate(at path: String) throws(ValidationError) {
        try Check.nonNegative(count, Check.path(path, "count"))
        let kindsPath = Check.path(path, "by_kind")
        try Check.count(byKind.count, atMost: ValidationLimits.maxErrorKinds, kindsPath)
        for kind in byKind.keys.sorted() {
            try Check.id(kind, Check.path(kindsPath, key: kind))
            try Check.nonNegative(byKind[kind]!, Check.path(kindsPath, key: kind))
        }
    }
}

extension ResourceBlock: NestedValidatable {
    /// Checks that every present figure is finite and non-negative.
    public func validate(at path: String) throws(ValidationError) {
        try Check.nonNegative(agentRSSBytes, Check.path(path, "agent_rss_bytes"))
        try Check.nonNegative(agentCPUSeconds, Check.path(path, "agent_cpu_seconds"))
        try Check.nonNegative(serverRSSBytes, Check.path(path, "server_rss_bytes"))
        try Check.nonNegative(serverCPUSeconds, Check.path(path, "server_cpu_seconds"))
    }
}

extension MetricsBlock: NestedValidatable {
    /// Checks the source, a non-negative sample count and finite metric values.
    public func validate(at path: String) throws(ValidationError) {
        try Check.id(source, Check.path(path, "source"))
        try Check.nonNegative(n, Check.path(path, "n"))
        try Check.metrics(metrics, Check.path(path, "metrics"))
    }
}

extension DriftBlock: NestedValidatable {
    /// Checks the reference profile id, at most 1,000 uniquely named features and outputs, and each entry.
    public func validate(at path: String) throws(ValidationError) {
        // An opaque id (normally `sha256:<hex>` of the profile): the control plane only compares it when merging.
        try Check.id(referenceProfile, Check.path(path, "reference_profile"))
        try Check.featureLists(features: features, outputs: outputs, path, name: \.name)
    }
}

extension FeatureDrift: NestedValidatable {
    /// Checks the name, count, counts matching the kind (bins for numeric, categories for categorical, none for
    /// embeddings), at most 1,000 bins or categories (labels ≤ 256 bytes, empty allowed), and finite statistics in their ranges.
    public func validate(at path: String) throws(ValidationError) {
        try Check.id(name, Check.path(path, "name"))
        try Check.nonNegative(n, Check.path(path, "n"))
        let countsPath = Check.path(path, "counts")
        switch (kind, counts) {
        case (.numeric, .bins(let bins)):
            try Check.count(bins.count, atMost: ValidationLimits.maxBins, countsPath)
            try Check.nonNegativeCounts(bins, countsPath)
        case (.categorical, .categories(let categories)):
            try Check.count(categories.count, atMost: ValidationLimits.maxBins + 1, countsPath)
            for category in categories.keys.sorted() {
                // An empty label is a real category (a missing value), so only length and control characters are checked.
                try Check.text(
                    category, Check.path(countsPath, key: category), maxLength: ValidationLimits.maxLabelValueLength)
                try Check.nonNegative(categories[category]!, Check.path(countsPath, key: category))
            }
        case (.categorical, .bins(let bins)) where bins.isEmpty:
            break  // `[]` and `{}` are both "no categories seen".
        case (.numeric, .categories):
            throw ValidationError(
                field: countsPath, message: "a numeric feature's counts must be an array of bin counts")
        case (.categorical, .bins):
            throw ValidationError(
                field: countsPath, message: "a categorical feature's counts must be an object of category counts")
        case (.embedding, .some):
            throw ValidationError(field: countsPath, message: "an embedding feature carries no counts; omit the field")
        case (_, .none):
            break
        }
        try Check.nonNegative(psi, Check.path(path, "psi"))
        try Check.within(jsDistance, 0...1, Check.path(path, "js_distance"))
        try Check.nonNegative(wasserstein, Check.path(path, "wasserstein"))
        try Check.within(ksStatistic, 0...1, Check.path(path, "ks_statistic"))
        try Check.nonNegative(chiSquare, Check.path(path, "chi_square"))
        try Check.within(pValue, 0...1, Check.path(path, "p_value"))
        try Check.within(centroidDistance, 0...2, Check.path(path, "centroid_distance"))
        try Check.within(driftedDimensionShare, 0...1, Check.path(path, "drifted_dimension_share"))
    }
}

extension DroppedBlock: NestedValidatable {
    /// Checks that every count is non-negative.
    public func validate(at path: String) throws(ValidationError) {
        try Check.nonNegative(events, Check.path(path, "events"))
        try Check.nonNegative(reports, Check.path(path, "reports"))
        try Check.nonNegative(labels, Check.path(path, "labels"))
    }
}

extension IncidentEvent: NestedValidatable {
    /// Checks the kind, the versions when present and the reason's length.
    public func validate(at path: String) throws(ValidationError) {
        try Check.id(kind, Check.path(path, "kind"))
        try Check.optionalID(from, Check.path(path, "from"))
        try Check.optionalID(to, Check.path(path, "to"))
        try Check.text(reason, Check.path(path, "reason"))
    }
}

extension ReportBatch: NestedValidatable {
    /// Checks 1–1,000 reports, each valid, with unique ids.
    public func validate(at path: String) throws(ValidationError) {
        let reportsPath = Check.path(path, "reports")
        if reports.isEmpty { throw ValidationError(field: reportsPath, message: "must contain at least one report") }
        try Check.elements(reports, atMost: ValidationLimits.maxBatchReports, reportsPath)
        try Check.uniqueKeys(reports, reportsPath, keyField: "id", key: \.id) {
            "duplicate report id \"\($0)\" in one batch"
        }
    }
}

extension ReportAck: NestedValidatable {
    /// Checks that every acknowledged id is well formed.
    public func validate(at path: String) throws(ValidationError) {
        for (index, id) in accepted.enumerated() { try Check.id(id, Check.path(Check.path(path, "accepted"), index)) }
        for (index, id) in duplicates.enumerated() {
            try Check.id(id, Check.path(Check.path(path, "duplicates"), index))
        }
    }
}
