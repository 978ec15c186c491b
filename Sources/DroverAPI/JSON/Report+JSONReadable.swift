#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Hand-written readers for the report and its blocks: the same keys, optionality and results as their Codable
// conformances (`DroverJSON.decode`), without Codable's per-element cost. Required keys throw `missing`; optional
// ones accept `null`; unknown keys are skipped; `readObject` keeps the first of duplicate keys (as JSONDecoder) and
// names the key in errors.

extension Report: JSONReadable {
    /// Reads a report.
    public static func read(from r: inout JSONReader) throws(JSONReadError) -> Report {
        var schemaVersion: Int?
        var id: String?
        var agentID: String?
        var model: String?
        var version: String?
        var window: TimeWindow?
        var health: HealthBlock?
        var latencyMs: LatencyBlock?
        var errors: ErrorBlock?
        var resources: ResourceBlock?
        var validation: MetricsBlock?
        var online: MetricsBlock?
        var drift: DriftBlock?
        var dropped: DroppedBlock?
        var events: [IncidentEvent]?
        try r.readObject { key, r throws(JSONReadError) in
            switch key {
            case "schema_version": schemaVersion = try r.readInt()
            case "id": id = try r.readString()
            case "agent_id": agentID = try r.readString()
            case "model": model = try r.readString()
            case "version": version = try r.readString()
            case "window": window = try TimeWindow.read(from: &r)
            case "health": health = try HealthBlock.read(from: &r)
            case "latency_ms": latencyMs = try r.readOptional(LatencyBlock.self)
            case "errors": errors = try ErrorBlock.read(from: &r)
            case "resources": resources = try r.readOptional(ResourceBlock.self)
            case "validation": validation = try r.readOptional(MetricsBlock.self)
            case "online": online = try r.readOptional(MetricsBlock.self)
            case "drift": drift = try r.readOptional(DriftBlock.self)
            case "dropped": dropped = try DroppedBlock.read(from: &r)
            case "events": events = try r.readArray(of: IncidentEvent.self)
            default: try r.skipValue()
            }
        }
        guard let schemaVersion else { throw .missing("schema_version") }
        guard let id else { throw .missing("id") }
        guard let agentID else { throw .missing("agent_id") }
        guard let model else { throw .missing("model") }
        guard let version else { throw .missing("version") }
        guard let window else { throw .missing("window") }
        guard let health else { throw .missing("health") }
        guard let errors else { throw .missing("errors") }
        guard let dropped else { throw .missing("dropped") }
        guard let events else { throw .missing("events") }
        return Report(
            schemaVersion: schemaVersion, id: id, agentID: agentID, model: model, version: version,
            window: window, health: health, latencyMs: latencyMs, errors: errors, resources: resources,
            validation: validation, online: online, drift: drift, dropped: dropped, events: events)
    }
}

extension ReportBatch: JSONReadable {
    /// Reads a batch of reports.
    public static func read(from r: inout JSONReader) throws(JSONReadError) -> ReportBatch {
        var reports: [Report]?
        try r.readObject { key, r throws(JSONReadError) in
            switch key {
            case "reports": reports = try r.readArray(of: Report.self)
            default: try r.skipValue()
            }
        }
        guard let reports else { throw .missing("reports") }
        return ReportBatch(reports: reports)
    }
}

extension TimeWindow: JSONReadable {
    /// Reads a window.
    public static func read(from r: inout JSONReader) throws(JSONReadError) -> TimeWindow {
        var start: Date?
        var end: Date?
        try r.readObject { key, r throws(JSONReadError) in
            switch key {
            case "start": start = try r.readDate()
            case "end": end = try r.readDate()
            default: try r.skipValue()
            }
        }
        guard let start else { throw .missing("start") }
        guard let end else { throw .missing("end") }
        return TimeWindow(start: start, end: end)
    }
}

extension HealthBlock: JSONReadable {
    /// Reads a health block.
    public static func read(from r: inout JSONReader) throws(JSONReadError) -> HealthBlock {
        var live: Bool?
        var ready: Bool?
        var probes: Int?
        var probeFailures: Int?
        var consecutiveFailures: Int?
        try r.readObject { key, r throws(JSONReadError) in
            switch key {
            case "live": live = try r.readBool()
            case "ready": ready = try r.readBool()
            case "probes": probes = try r.readInt()
            case "probe_failures": probeFailures = try r.readInt()
            case "consecutive_failures": consecutiveFailures = try r.readInt()
            default: try r.skipValue()
            }
        }
        guard let live else { throw .missing("live") }
        guard let ready else { throw .missing("ready") }
        guard let probes else { throw .missing("probes") }
        guard let probeFailures else { throw .missing("probe_failures") }
        guard let consecutiveFailures else { throw .missing("consecutive_failures") }
        return HealthBlock(
            live: live, ready: ready, probes: probes, probeFailures: probeFailures,
            consecutiveFailures: consecutiveFailures)
    }
}

extension Histogram: JSONReadable {
    /// Reads a histogram.
    public static func read(from r: inout JSONReader) throws(JSONReadError) -> Histogram {
        var bounds: [Double]?
        var counts: [Int]?
        try r.readObject { key, r throws(JSONReadError) in
            switch key {
            case "bounds": bounds = try r.readDoubleArray()
            case "counts": counts = try r.readIntArray()
            default: try r.skipValue()
            }
        }
        guard let bounds else { throw .missing("bounds") }
        guard let counts else { throw .missing("counts") }
        return Histogram(bounds: bounds, counts: counts)
    }
}

extension LatencyBlock: JSONReadable {
    /// Reads a latency block.
    public static func read(from r: inout JSONReader) throws(JSONReadError) -> LatencyBlock {
        var count: Int?
        var p50: Double?
        var p90: Double?
        var p99: Double?
        var max: Double?
        var histogram: Histogram?
        try r.readObject { key, r throws(JSONReadError) in
            switch key {
            case "count": count = try r.readInt()
            case "p50": p50 = try r.readOptionalDouble()
            case "p90": p90 = try r.readOptionalDouble()
            case "p99": p99 = try r.readOptionalDouble()
            case "max": max = try r.readOptionalDouble()
            case "histogram": histogram = try Histogram.read(from: &r)
            default: try r.skipValue()
            }
        }
        guard let count else { throw .missing("count") }
        guard let histogram else { throw .missing("histogram") }
        return LatencyBlock(count: count, p50: p50, p90: p90, p99: p99, max: max, histogram: histogram)
    }
}

extension ErrorBlock: JSONReadable {
    /// Reads an error block.
    public static func read(from r: inout JSONReader) throws(JSONReadError) -> ErrorBlock {
        var count: Int?
        var byKind: [String: Int]?
        try r.readObject { key, r throws(JSONReadError) in
            switch key {
            case "count": count = try r.readInt()
            case "by_kind": byKind = try r.readIntMap()
            default: try r.skipValue()
            }
        }
        guard let count else { throw .missing("count") }
        guard let byKind else { throw .missing("by_kind") }
        return ErrorBlock(count: count, byKind: byKind)
    }
}

extension ResourceBlock: JSONReadable {
    /// Reads a resource block.
    public static func read(from r: inout JSONReader) throws(JSONReadError) -> ResourceBlock {
        var block = ResourceBlock()
        try r.readObject { key, r throws(JSONReadError) in
            switch key {
            case "agent_rss_bytes": block.agentRSSBytes = try r.readOptionalInt()
            case "agent_cpu_seconds": block.agentCPUSeconds = try r.readOptionalDouble()
            case "server_rss_bytes": block.serverRSSBytes = try r.readOptionalInt()
            case "server_cpu_seconds": block.serverCPUSeconds = try r.readOptionalDouble()
            default: try r.skipValue()
            }
        }
        return block
    }
}

extension MetricsBlock: JSONReadable {
    /// Reads a metrics block.
    public static func read(from r: inout JSONReader) throws(JSONReadError) -> MetricsBlock {
        var source: String?
        var n: Int?
        var metrics: [String: Double]?
        try r.readObject { key, r throws(JSONReadError) in
            switch key {
            case "source": source = try r.readString()
            case "n": n = try r.readInt()
            case "metrics": metrics = try r.readDoubleMap()
            default: try r.skipValue()
            }
        }
        guard let source else { throw .missing("source") }
        guard let n else { throw .missing("n") }
        guard let metrics else { throw .missing("metrics") }
        return MetricsBlock(source: source, n: n, metrics: metrics)
    }
}

extension DriftCounts: JSONReadable {
    /// Reads bin counts (an array of integers) or category counts (an object of integers).
    public static func read(from r: inout JSONReader) throws(JSONReadError) -> DriftCounts {
        let expected = "an array of bin counts or an object of category counts (integers)"
        switch try r.peek() {
        case .array:
            // JSONDecoder tries `[Int]`, then `[String: Int]`: any bad element fails the field as a whole.
            do throws(JSONReadError) {
                return .bins(try r.readIntArray())
            } catch {
                if error.isSyntaxError { throw error }
                throw .wrongType(expected: "\(expected); \(error.field) \(error.message)")
            }
        case .object:
            return .categories(try r.readIntMap())
        case .null:
            throw .null(expected: expected)
        default:
            throw .wrongType(expected: expected)
        }
    }
}

extension FeatureDrift: JSONReadable {
    /// Reads one feature's drift entry.
    public static func read(from r: inout JSONReader) throws(JSONReadError) -> FeatureDrift {
        var name: String?
        var kind: FeatureKind?
        var n: Int?
        var counts: DriftCounts?
        var verdict: DriftVerdict?
        var psi: Double?
        var jsDistance: Double?
        var wasserstein: Double?
        var ksStatistic: Double?
        var chiSquare: Double?
        var pValue: Double?
        var centroidDistance: Double?
        var driftedDimensionShare: Double?
        try r.readObject { key, r throws(JSONReadError) in
            switch key {
            case "name": name = try r.readString()
            case "kind": kind = try r.readEnum(FeatureKind.self)
            case "n": n = try r.readInt()
            case "counts": counts = try r.readOptional(DriftCounts.self)
            case "psi": psi = try r.readOptionalDouble()
            case "js_distance": jsDistance = try r.readOptionalDouble()
            case "verdict": verdict = try r.readEnum(DriftVerdict.self)
            case "wasserstein": wasserstein = try r.readOptionalDouble()
            case "ks_statistic": ksStatistic = try r.readOptionalDouble()
            case "chi_square": chiSquare = try r.readOptionalDouble()
            case "p_value": pValue = try r.readOptionalDouble()
            case "centroid_distance": centroidDistance = try r.readOptionalDouble()
            case "drifted_dimension_share": driftedDimensionShare = try r.readOptionalDouble()
            default: try r.skipValue()
            }
        }
        guard let name else { throw .missing("name") }
        guard let kind else { throw .missing("kind") }
        guard let n else { throw .missing("n") }
        guard let verdict else { throw .missing("verdict") }
        return FeatureDrift(
            name: name, kind: kind, n: n, counts: counts, psi: psi, jsDistance: jsDistance,
            wasserstein: wasserstein, ksStatistic: ksStatistic, chiSquare: chiSquare, pValue: pValue,
            centroidDistance: centroidDistance, driftedDimensionShare: driftedDimensionShare, verdict: verdict)
    }
}

extension DriftBlock: JSONReadable {
    /// Reads a drift block.
    public static func read(from r: inout JSONReader) throws(JSONReadError) -> DriftBlock {
        var referenceProfile: String?
        var features: [FeatureDrift]?
        var outputs: [FeatureDrift]?
        try r.readObject { key, r throws(JSONReadError) in
            switch key {
            case "reference_profile": referenceProfile = try r.readString()
            case "features": features = try r.readArray(of: FeatureDrift.self)
            case "outputs": outputs = try r.readArray(of: FeatureDrift.self)
            default: try r.skipValue()
            }
        }
        guard let referenceProfile else { throw .missing("reference_profile") }
        guard let features else { throw .missing("features") }
        guard let outputs else { throw .missing("outputs") }
        return DriftBlock(referenceProfile: referenceProfile, features: features, outputs: outputs)
    }
}

extension DroppedBlock: JSONReadable {
    /// Reads a dropped block (absent or null counts are zero, as its Codable decoding).
    public static func read(from r: inout JSONReader) throws(JSONReadError) -> DroppedBlock {
        var block = DroppedBlock()
        try r.readObject { key, r throws(JSONReadError) in
            switch key {
            case "events": block.events = try r.readOptionalInt() ?? 0
            case "reports": block.reports = try r.readOptionalInt() ?? 0
            case "labels": block.labels = try r.readOptionalInt() ?? 0
            default: try r.skipValue()
            }
        }
        return block
    }
}

extension IncidentEvent: JSONReadable {
    /// Reads an incident event.
    public static func read(from r: inout JSONReader) throws(JSONReadError) -> IncidentEvent {
        var at: Date?
        var kind: String?
        var from: String?
        var to: String?
        var reason: String?
        try r.readObject { key, r throws(JSONReadError) in
            switch key {
            case "at": at = try r.readDate()
            case "kind": kind = try r.readString()
            case "from": from = try r.readOptionalString()
            case "to": to = try r.readOptionalString()
            case "reason": reason = try r.readString()
            default: try r.skipValue()
            }
        }
        guard let at else { throw .missing("at") }
        guard let kind else { throw .missing("kind") }
        guard let reason else { throw .missing("reason") }
        return IncidentEvent(at: at, kind: kind, from: from, to: to, reason: reason)
    }
}
