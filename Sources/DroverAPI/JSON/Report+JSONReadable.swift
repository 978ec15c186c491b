#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Hand-written readers for the report and its blocks: the same keys, optionality and results as their Codable
// conformances (`DroverJSON.decode`), without Codable's per-element cost. Required keys throw `missing`; optional
// ones accept `null`; unknown keys are skipped; the first of duplicate keys wins (as JSONDecoder).

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
        var seen = SeenKeys()
        var object = try r.beginObject()
        while let key = try r.nextKey(in: &object) {
            do throws(JSONReadError) {
                if key == "schema_version", seen.first(0) {
                    schemaVersion = try r.readInt()
                } else if key == "id", seen.first(1) {
                    id = try r.readString()
                } else if key == "agent_id", seen.first(2) {
                    agentID = try r.readString()
                } else if key == "model", seen.first(3) {
                    model = try r.readString()
                } else if key == "version", seen.first(4) {
                    version = try r.readString()
                } else if key == "window", seen.first(5) {
                    window = try TimeWindow.read(from: &r)
                } else if key == "health", seen.first(6) {
                    health = try HealthBlock.read(from: &r)
                } else if key == "latency_ms", seen.first(7) {
                    latencyMs = try r.readOptional(LatencyBlock.self)
                } else if key == "errors", seen.first(8) {
                    errors = try ErrorBlock.read(from: &r)
                } else if key == "resources", seen.first(9) {
                    resources = try r.readOptional(ResourceBlock.self)
                } else if key == "validation", seen.first(10) {
                    validation = try r.readOptional(MetricsBlock.self)
                } else if key == "online", seen.first(11) {
                    online = try r.readOptional(MetricsBlock.self)
                } else if key == "drift", seen.first(12) {
                    drift = try r.readOptional(DriftBlock.self)
                } else if key == "dropped", seen.first(13) {
                    dropped = try DroppedBlock.read(from: &r)
                } else if key == "events", seen.first(14) {
                    events = try r.readArray(of: IncidentEvent.self)
                } else {
                    try r.skipValue()
                }
            } catch {
                throw error.at(key: key.string)
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
            window: window,
            health: health, latencyMs: latencyMs, errors: errors, resources: resources,
            validation: validation,
            online: online, drift: drift, dropped: dropped, events: events)
    }
}

extension ReportBatch: JSONReadable {
    /// Reads a batch of reports.
    public static func read(from r: inout JSONReader) throws(JSONReadError) -> ReportBatch {
        var reports: [Report]?
        var object = try r.beginObject()
        while let key = try r.nextKey(in: &object) {
            if key == "reports", reports == nil {
                do throws(JSONReadError) { reports = try r.readArray(of: Report.self) } catch {
                    throw error.at(key: "reports")
                }
            } else {
                try r.skipValue()
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
        var seen = SeenKeys()
        var object = try r.beginObject()
        while let key = try r.nextKey(in: &object) {
            do throws(JSONReadError) {
                if key == "start", seen.first(0) {
                    start = try r.readDate()
                } else if key == "end", seen.first(1) {
                    end = try r.readDate()
                } else {
                    try r.skipValue()
                }
            } catch {
                throw error.at(key: key.string)
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
        var seen = SeenKeys()
        var object = try r.beginObject()
        while let key = try r.nextKey(in: &object) {
            do throws(JSONReadError) {
                if key == "live", seen.first(0) {
                    live = try r.readBool()
                } else if key == "ready", seen.first(1) {
                    ready = try r.readBool()
                } else if key == "probes", seen.first(2) {
                    probes = try r.readInt()
                } else if key == "probe_failures", seen.first(3) {
                    probeFailures = try r.readInt()
                } else if key == "consecutive_failures", seen.first(4) {
                    consecutiveFailures = try r.readInt()
                } else {
                    try r.skipValue()
                }
            } catch {
                throw error.at(key: key.string)
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
        var seen = SeenKeys()
        var object = try r.beginObject()
        while let key = try r.nextKey(in: &object) {
            do throws(JSONReadError) {
                if key == "bounds", seen.first(0) {
                    bounds = try r.readDoubleArray()
                } else if key == "counts", seen.first(1) {
                    counts = try r.readIntArray()
                } else {
                    try r.skipValue()
                }
            } catch {
                throw error.at(key: key.string)
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
        var seen = SeenKeys()
        var object = try r.beginObject()
        while let key = try r.nextKey(in: &object) {
            do throws(JSONReadError) {
                if key == "count", seen.first(0) {
                    count = try r.readInt()
                } else if key == "p50", seen.first(1) {
                    p50 = try r.readOptionalDouble()
                } else if key == "p90", seen.first(2) {
                    p90 = try r.readOptionalDouble()
                } else if key == "p99", seen.first(3) {
                    p99 = try r.readOptionalDouble()
                } else if key == "max", seen.first(4) {
                    max = try r.readOptionalDouble()
                } else if key == "histogram", seen.first(5) {
                    histogram = try Histogram.read(from: &r)
                } else {
                    try r.skipValue()
                }
            } catch {
                throw error.at(key: key.string)
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
        var seen = SeenKeys()
        var object = try r.beginObject()
        while let key = try r.nextKey(in: &object) {
            do throws(JSONReadError) {
                if key == "count", seen.first(0) {
                    count = try r.readInt()
                } else if key == "by_kind", seen.first(1) {
                    byKind = try r.readIntMap()
                } else {
                    try r.skipValue()
                }
            } catch {
                throw error.at(key: key.string)
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
        var seen = SeenKeys()
        var object = try r.beginObject()
        while let key = try r.nextKey(in: &object) {
            do throws(JSONReadError) {
                if key == "agent_rss_bytes", seen.first(0) {
                    block.agentRSSBytes = try r.readOptionalInt()
                } else if key == "agent_cpu_seconds", seen.first(1) {
                    block.agentCPUSeconds = try r.readOptionalDouble()
                } else if key == "server_rss_bytes", seen.first(2) {
                    block.serverRSSBytes = try r.readOptionalInt()
                } else if key == "server_cpu_seconds", seen.first(3) {
                    block.serverCPUSeconds = try r.readOptionalDouble()
                } else {
                    try r.skipValue()
                }
            } catch {
                throw error.at(key: key.string)
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
        var seen = SeenKeys()
        var object = try r.beginObject()
        while let key = try r.nextKey(in: &object) {
            do throws(JSONReadError) {
                if key == "source", seen.first(0) {
                    source = try r.readString()
                } else if key == "n", seen.first(1) {
                    n = try r.readInt()
                } else if key == "metrics", seen.first(2) {
                    metrics = try r.readDoubleMap()
                } else {
                    try r.skipValue()
                }
            } catch {
                throw error.at(key: key.string)
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
        var seen = SeenKeys()
        var object = try r.beginObject()
        while let key = try r.nextKey(in: &object) {
            do throws(JSONReadError) {
                if key == "name", seen.first(0) {
                    name = try r.readString()
                } else if key == "kind", seen.first(1) {
                    kind = try r.readEnum(FeatureKind.self)
                } else if key == "n", seen.first(2) {
                    n = try r.readInt()
                } else if key == "counts", seen.first(3) {
                    counts = try r.readOptional(DriftCounts.self)
                } else if key == "psi", seen.first(4) {
                    psi = try r.readOptionalDouble()
                } else if key == "js_distance", seen.first(5) {
                    jsDistance = try r.readOptionalDouble()
                } else if key == "verdict", seen.first(6) {
                    verdict = try r.readEnum(DriftVerdict.self)
                } else if key == "wasserstein", seen.first(7) {
                    wasserstein = try r.readOptionalDouble()
                } else if key == "ks_statistic", seen.first(8) {
                    ksStatistic = try r.readOptionalDouble()
                } else if key == "chi_square", seen.first(9) {
                    chiSquare = try r.readOptionalDouble()
                } else if key == "p_value", seen.first(10) {
                    pValue = try r.readOptionalDouble()
                } else if key == "centroid_distance", seen.first(11) {
                    centroidDistance = try r.readOptionalDouble()
                } else if key == "drifted_dimension_share", seen.first(12) {
                    driftedDimensionShare = try r.readOptionalDouble()
                } else {
                    try r.skipValue()
                }
            } catch {
                throw error.at(key: key.string)
            }
        }
        guard let name else { throw .missing("name") }
        guard let kind else { throw .missing("kind") }
        guard let n else { throw .missing("n") }
        guard let verdict else { throw .missing("verdict") }
        return FeatureDrift(
            name: name, kind: kind, n: n, counts: counts, psi: psi, jsDistance: jsDistance,
            wasserstein: wasserstein,
            ksStatistic: ksStatistic, chiSquare: chiSquare, pValue: pValue,
            centroidDistance: centroidDistance,
            driftedDimensionShare: driftedDimensionShare, verdict: verdict)
    }
}

extension DriftBlock: JSONReadable {
    /// Reads a drift block.
    public static func read(from r: inout JSONReader) throws(JSONReadError) -> DriftBlock {
        var referenceProfile: String?
        var features: [FeatureDrift]?
        var outputs: [FeatureDrift]?
        var seen = SeenKeys()
        var object = try r.beginObject()
        while let key = try r.nextKey(in: &object) {
            do throws(JSONReadError) {
                if key == "reference_profile", seen.first(0) {
                    referenceProfile = try r.readString()
                } else if key == "features", seen.first(1) {
                    features = try r.readArray(of: FeatureDrift.self)
                } else if key == "outputs", seen.first(2) {
                    outputs = try r.readArray(of: FeatureDrift.self)
                } else {
                    try r.skipValue()
                }
            } catch {
                throw error.at(key: key.string)
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
        var seen = SeenKeys()
        var object = try r.beginObject()
        while let key = try r.nextKey(in: &object) {
            do throws(JSONReadError) {
                if key == "events", seen.first(0) {
                    block.events = try r.readOptionalInt() ?? 0
                } else if key == "reports", seen.first(1) {
                    block.reports = try r.readOptionalInt() ?? 0
                } else if key == "labels", seen.first(2) {
                    block.labels = try r.readOptionalInt() ?? 0
                } else {
                    try r.skipValue()
                }
            } catch {
                throw error.at(key: key.string)
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
        var seen = SeenKeys()
        var object = try r.beginObject()
        while let key = try r.nextKey(in: &object) {
            do throws(JSONReadError) {
                if key == "at", seen.first(0) {
                    at = try r.readDate()
                } else if key == "kind", seen.first(1) {
                    kind = try r.readString()
                } else if key == "from", seen.first(2) {
                    from = try r.readOptionalString()
                } else if key == "to", seen.first(3) {
                    to = try r.readOptionalString()
                } else if key == "reason", seen.first(4) {
                    reason = try r.readString()
                } else {
                    try r.skipValue()
                }
            } catch {
                throw error.at(key: key.string)
            }
        }
        guard let at else { throw .missing("at") }
        guard let kind else { throw .missing("kind") }
        guard let reason else { throw .missing("reason") }
        return IncidentEvent(at: at, kind: kind, from: from, to: to, reason: reason)
    }
}
