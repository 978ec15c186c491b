#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension Report: NestedValidatable {
    /// Checks schema version, ids, window, every block, drift sizes and events.
    public func validate() throws(ValidationError) {
        try Check.schemaVersion(schemaVersion, "schema_version")
        try Check.id(id, "id")
        try Check.id(agentID, "agent_id")
        try Check.pathSegment(model, "model")
        try Check.pathSegment(version, "version")
        try window.validate(at: "window")
        try health.validate(at: "health")
        try latencyMs?.validate(at: "latency_ms")
        try errors.validate(at: "errors")
        try resources?.validate(at: "resources")
        try validation?.validate(at: "validation")
        try online?.validate(at: "online")
        try drift?.validate(at: "drift")
        try dropped.validate(at: "dropped")
        try Check.elements(events, atMost: ValidationLimits.maxEvents, "events")
    }
}

extension TimeWindow: NestedValidatable {
    /// Checks that `end` is after `start` and the window is at most a day long.
    public func validate() throws(ValidationError) {
        let length = end.timeIntervalSince(start)
        if !(length > 0) {
            throw ValidationError(
                field: "end",
                message: "must be after start (\(RFC3339.format(start))), got \(RFC3339.format(end))")
        }
        if length > ValidationLimits.maxWindowSeconds {
            throw ValidationError(
                field: "end",
                message:
                    "window is \(Int(length)) s long; at most \(Int(ValidationLimits.maxWindowSeconds)) s is allowed")
        }
    }
}

extension HealthBlock: NestedValidatable {
    /// Checks that probe counts are non-negative and failures do not exceed probes.
    public func validate() throws(ValidationError) {
        try Check.nonNegative(probes, "probes")
        try Check.nonNegative(probeFailures, "probe_failures")
        try Check.nonNegative(consecutiveFailures, "consecutive_failures")
        if probeFailures > probes {
            throw ValidationError(
                field: "probe_failures",
                message: "must not exceed probes (\(probes)), got \(probeFailures)")
        }
    }
}

extension Histogram: NestedValidatable {
    /// Checks `counts.count == bounds.count + 1`, bounds finite and strictly increasing, counts non-negative.
    public func validate() throws(ValidationError) {
        try Check.edges(bounds, atMost: ValidationLimits.maxHistogramBuckets, "bounds")
        try Check.binCounts(
            counts, boundaries: bounds.count, boundaryField: "bounds", note: "the last bucket is above the last bound",
            "counts")
    }
}

extension LatencyBlock: NestedValidatable {
    /// Checks the count, finite non-negative ordered percentiles (p50 ≤ p90 ≤ p99 ≤ max) and the histogram.
    public func validate() throws(ValidationError) {
        try Check.nonNegative(count, "count")
        var previous: (name: String, value: Double)?
        try Self.percentile(p50, "p50", after: &previous)
        try Self.percentile(p90, "p90", after: &previous)
        try Self.percentile(p99, "p99", after: &previous)
        try Self.percentile(max, "max", after: &previous)
        try histogram.validate(at: "histogram")
    }

    /// Checks one present percentile: finite, non-negative and not below the `previous` one, which it becomes.
    private static func percentile(
        _ value: Double?, _ name: String, after previous: inout (name: String, value: Double)?
    ) throws(ValidationError) {
        guard let value else { return }
        try Check.nonNegative(value, name)
        // A little slack: percentiles interpolated in floating point may overshoot by an ulp.
        if let (previousName, previousValue) = previous,
            value < previousValue - 1e-9 * Swift.max(1, abs(previousValue))
        {
            throw ValidationError(
                field: name,
                message: "percentiles must be ordered: \(name) (\(value)) is below \(previousName) (\(previousValue))")
        }
        previous = (name, value)
    }
}

extension ErrorBlock: NestedValidatable {
    /// Checks non-negative counts and a bounded set of well-formed kinds.
    public func validate() throws(ValidationError) {
        try Check.nonNegative(count, "count")
        try Check.count(byKind.count, atMost: ValidationLimits.maxErrorKinds, "by_kind")
        try Check.entries(byKind, "by_kind") { kind, count throws(ValidationError) in
            try Check.id(kind, "")
            try Check.nonNegative(count, "")
        }
    }
}

extension ResourceBlock: NestedValidatable {
    /// Checks that every present figure is finite and non-negative.
    public func validate() throws(ValidationError) {
        try Check.nonNegative(agentRSSBytes, "agent_rss_bytes")
        try Check.nonNegative(agentCPUSeconds, "agent_cpu_seconds")
        try Check.nonNegative(serverRSSBytes, "server_rss_bytes")
        try Check.nonNegative(serverCPUSeconds, "server_cpu_seconds")
    }
}

extension MetricsBlock: NestedValidatable {
    /// Checks the source, a non-negative sample count and finite metric values.
    public func validate() throws(ValidationError) {
        try Check.id(source, "source")
        try Check.nonNegative(n, "n")
        try Check.metrics(metrics, "metrics")
    }
}

extension DriftBlock: NestedValidatable {
    /// Checks the reference profile id, at most 1,000 uniquely named features and outputs, and each entry.
    public func validate() throws(ValidationError) {
        // An opaque id (normally `sha256:<hex>` of the profile): the control plane only compares it when merging.
        try Check.id(referenceProfile, "reference_profile")
        try Check.featureLists(features: features, outputs: outputs, name: \.name)
    }
}

extension FeatureDrift: NestedValidatable {
    /// Checks the name, count, counts matching the kind (bins for numeric, categories for categorical, none for
    /// embeddings), at most 1,000 bins or categories (labels ≤ 256 bytes, empty allowed), and finite statistics in their ranges.
    public func validate() throws(ValidationError) {
        try Check.id(name, "name")
        try Check.nonNegative(n, "n")
        switch (kind, counts) {
        case (.numeric, .bins(let bins)):
            try Check.count(bins.count, atMost: ValidationLimits.maxBins, "counts")
            try Check.nonNegativeCounts(bins, "counts")
        case (.categorical, .categories(let categories)):
            try Check.count(categories.count, atMost: ValidationLimits.maxBins + 1, "counts")
            try Check.entries(categories, "counts") { category, count throws(ValidationError) in
                // An empty label is a real category (a missing value): only length and control characters are checked.
                try Check.text(category, "", maxLength: ValidationLimits.maxLabelValueLength)
                try Check.nonNegative(count, "")
            }
        case (.categorical, .bins(let bins)) where bins.isEmpty:
            break  // `[]` and `{}` are both "no categories seen".
        case (.numeric, .categories):
            throw ValidationError(
                field: "counts", message: "a numeric feature's counts must be an array of bin counts")
        case (.categorical, .bins):
            throw ValidationError(
                field: "counts", message: "a categorical feature's counts must be an object of category counts")
        case (.embedding, .some):
            throw ValidationError(field: "counts", message: "an embedding feature carries no counts; omit the field")
        case (_, .none):
            break
        }
        try Check.nonNegative(psi, "psi")
        try Check.within(jsDistance, 0...1, "js_distance")
        try Check.nonNegative(wasserstein, "wasserstein")
        try Check.within(ksStatistic, 0...1, "ks_statistic")
        try Check.nonNegative(chiSquare, "chi_square")
        try Check.within(pValue, 0...1, "p_value")
        try Check.within(centroidDistance, 0...2, "centroid_distance")
        try Check.within(driftedDimensionShare, 0...1, "drifted_dimension_share")
    }
}

extension DroppedBlock: NestedValidatable {
    /// Checks that every count is non-negative.
    public func validate() throws(ValidationError) {
        try Check.nonNegative(events, "events")
        try Check.nonNegative(reports, "reports")
        try Check.nonNegative(labels, "labels")
    }
}

extension IncidentEvent: NestedValidatable {
    /// Checks the kind, the versions when present and the reason's length.
    public func validate() throws(ValidationError) {
        try Check.id(kind, "kind")
        try Check.optionalID(from, "from")
        try Check.optionalID(to, "to")
        try Check.text(reason, "reason")
    }
}

extension ReportBatch: NestedValidatable {
    /// Checks 1–1,000 reports, each valid, with unique ids.
    public func validate() throws(ValidationError) {
        if reports.isEmpty { throw ValidationError(field: "reports", message: "must contain at least one report") }
        try Check.elements(reports, atMost: ValidationLimits.maxBatchReports, "reports")
        try Check.uniqueKeys(reports, "reports", keyField: "id", key: \.id) {
            "duplicate report id \"\($0)\" in one batch"
        }
    }
}

extension ReportAck: NestedValidatable {
    /// Checks that every acknowledged id is well formed.
    public func validate() throws(ValidationError) {
        try Check.each(accepted, "accepted") { id throws(ValidationError) in try Check.id(id, "") }
        try Check.each(duplicates, "duplicates") { id throws(ValidationError) in try Check.id(id, "") }
    }
}
