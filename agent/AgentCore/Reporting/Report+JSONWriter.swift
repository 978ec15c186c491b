import DroverAPI

/// Reports and heartbeats written with DroverAPI's `JSONWriter` instead of `JSONEncoder`: the same compact JSON as
/// `DroverJSON.encode` (keys sorted, nil optionals left out, integral numbers without `.0`, RFC 3339 dates), without
/// Codable's boxing on the agent's every-window path. `ReportJSONWriterTests` pins the equality.
extension Report {
    /// The report as compact JSON, equal to `DroverJSON.encode(self)`; throws when a number is NaN or infinite.
    public func compactJSON() throws(JSONWriter.NonFiniteNumber) -> [UInt8] {
        var w = JSONWriter(capacity: 1024 + 256 * (drift?.features.count ?? 0))
        w.beginObject()
        w.key("agent_id")
        w.string(agentID)
        if let drift {
            w.key("drift")
            w.beginObject()
            w.key("features")
            try w.features(drift.features)
            w.key("outputs")
            try w.features(drift.outputs)
            w.key("reference_profile")
            w.string(drift.referenceProfile)
            w.endObject()
        }
        w.key("dropped")
        w.beginObject()
        w.key("events")
        w.int(dropped.events)
        w.key("labels")
        w.int(dropped.labels)
        w.key("reports")
        w.int(dropped.reports)
        w.endObject()
        w.key("errors")
        w.beginObject()
        w.key("by_kind")
        w.intMap(errors.byKind)
        w.key("count")
        w.int(errors.count)
        w.endObject()
        w.key("events")
        w.beginArray()
        for event in events {
            w.beginObject()
            w.key("at")
            w.string(RFC3339.format(event.at))
            if let from = event.from {
                w.key("from")
                w.string(from)
            }
            w.key("kind")
            w.string(event.kind)
            w.key("reason")
            w.string(event.reason)
            if let to = event.to {
                w.key("to")
                w.string(to)
            }
            w.endObject()
        }
        w.endArray()
        w.key("health")
        w.beginObject()
        w.key("consecutive_failures")
        w.int(health.consecutiveFailures)
        w.key("live")
        w.bool(health.live)
        w.key("probe_failures")
        w.int(health.probeFailures)
        w.key("probes")
        w.int(health.probes)
        w.key("ready")
        w.bool(health.ready)
        w.endObject()
        w.key("id")
        w.string(id)
        if let latency = latencyMs {
            w.key("latency_ms")
            w.beginObject()
            w.key("count")
            w.int(latency.count)
            w.key("histogram")
            w.beginObject()
            w.key("bounds")
            w.beginArray()
            for bound in latency.histogram.bounds { try w.number(bound) }
            w.endArray()
            w.key("counts")
            w.ints(latency.histogram.counts)
            w.endObject()
            try w.number("max", latency.max)
            try w.number("p50", latency.p50)
            try w.number("p90", latency.p90)
            try w.number("p99", latency.p99)
            w.endObject()
        }
        w.key("model")
        w.string(model)
        if let online {
            w.key("online")
            try w.metrics(online)
        }
        if let resources {
            w.key("resources")
            w.beginObject()
            try w.number("agent_cpu_seconds", resources.agentCPUSeconds)
            w.int("agent_rss_bytes", resources.agentRSSBytes)
            try w.number("server_cpu_seconds", resources.serverCPUSeconds)
            w.int("server_rss_bytes", resources.serverRSSBytes)
            w.endObject()
        }
        w.key("schema_version")
        w.int(schemaVersion)
        if let validation {
            w.key("validation")
            try w.metrics(validation)
        }
        w.key("version")
        w.string(version)
        w.key("window")
        w.beginObject()
        w.key("end")
        w.string(RFC3339.format(window.end))
        w.key("start")
        w.string(RFC3339.format(window.start))
        w.endObject()
        w.endObject()
        return w.bytes
    }
}

extension Heartbeat {
    /// The heartbeat as compact JSON, equal to `DroverJSON.encode(self)`.
    public func compactJSON() -> [UInt8] {
        var w = JSONWriter(capacity: 128)
        w.beginObject()
        w.key("agent_id")
        w.string(agentID)
        if let agentVersion {
            w.key("agent_version")
            w.string(agentVersion)
        }
        if let labels {
            w.key("labels")
            w.beginObject()
            for name in labels.keys.sorted() {
                w.key(name)
                w.string(labels[name]!)
            }
            w.endObject()
        }
        w.int("spool_depth", spoolDepth)
        if let version {
            w.key("version")
            w.string(version)
        }
        w.endObject()
        return w.bytes
    }
}

extension JSONWriter {
    /// A finite number as `JSONEncoder` writes it: integral values below 2^53 without `.0`.
    fileprivate mutating func number(_ value: Double) throws(NonFiniteNumber) {
        if value.isFinite, value.rounded(.towardZero) == value, abs(value) < 9_007_199_254_740_992, value != 0 || value.sign == .plus {
            int(Int(value))
        } else {
            try double(value)
        }
    }

    /// A key and number, or nothing when the value is nil.
    fileprivate mutating func number(_ name: String, _ value: Double?) throws(NonFiniteNumber) {
        guard let value else { return }
        key(name)
        try number(value)
    }

    /// A key and integer, or nothing when the value is nil.
    fileprivate mutating func int(_ name: String, _ value: Int?) {
        guard let value else { return }
        key(name)
        int(value)
    }

    fileprivate mutating func metrics(_ block: MetricsBlock) throws(NonFiniteNumber) {
        beginObject()
        key("metrics")
        beginObject()
        for name in block.metrics.keys.sorted() {
            key(name)
            try number(block.metrics[name]!)
        }
        endObject()
        key("n")
        int(block.n)
        key("source")
        string(block.source)
        endObject()
    }

    fileprivate mutating func features(_ features: [FeatureDrift]) throws(NonFiniteNumber) {
        beginArray()
        for f in features {
            beginObject()
            try number("centroid_distance", f.centroidDistance)
            try number("chi_square", f.chiSquare)
            switch f.counts {
            case .bins(let bins)?:
                key("counts")
                ints(bins)
            case .categories(let categories)?:
                key("counts")
                intMap(categories)
            case nil:
                break
            }
            try number("drifted_dimension_share", f.driftedDimensionShare)
            try number("js_distance", f.jsDistance)
            key("kind")
            string(f.kind.rawValue)
            try number("ks_statistic", f.ksStatistic)
            key("n")
            int(f.n)
            key("name")
            string(f.name)
            try number("p_value", f.pValue)
            try number("psi", f.psi)
            key("verdict")
            string(f.verdict.rawValue)
            try number("wasserstein", f.wasserstein)
            endObject()
        }
        endArray()
    }
}
