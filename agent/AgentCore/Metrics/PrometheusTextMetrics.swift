import CoreMetrics
import Synchronization

/// A tiny swift-metrics backend that renders the Prometheus text format (counters, gauges, fixed-bucket histograms).
///
/// The agent uses it instead of swift-prometheus to stay lean (see docs/decisions/0002-agent-footprint.md).
/// Recorders with `aggregate: true` and timers become histograms (timers in seconds); meters and plain recorders
/// become gauges.
public final class PrometheusTextMetrics: MetricsFactory {
    private enum Kind: String { case counter, gauge, histogram }

    private final class Series: CounterHandler, RecorderHandler, TimerHandler, MeterHandler, FloatingPointCounterHandler {
        let kind: Kind
        let buckets: [Double]
        // The mutex guards every mutable field; handlers are called from any thread.
        private let state: Mutex<(value: Double, counts: [Int], sum: Double, count: Int)>

        init(kind: Kind, buckets: [Double]) {
            self.kind = kind
            self.buckets = buckets
            self.state = Mutex((0, [Int](repeating: 0, count: buckets.count), 0, 0))
        }

        func increment(by amount: Int64) { state.withLock { $0.value += Double(amount) } }
        func increment(by amount: Double) { state.withLock { $0.value += amount } }
        func decrement(by amount: Double) { state.withLock { $0.value -= amount } }
        func reset() { state.withLock { $0 = (0, [Int](repeating: 0, count: buckets.count), 0, 0) } }
        func set(_ value: Int64) { state.withLock { $0.value = Double(value) } }
        func set(_ value: Double) { state.withLock { $0.value = value } }
        func record(_ value: Int64) { record(Double(value)) }
        func record(_ value: Double) {
            state.withLock { s in
                if kind == .histogram {
                    for (i, bound) in buckets.enumerated() where value <= bound { s.counts[i] += 1 }
                    s.sum += value
                    s.count += 1
                } else {
                    s.value = value
                }
            }
        }
        func recordNanoseconds(_ duration: Int64) { record(Double(duration) / 1e9) }

        func snapshot() -> (value: Double, counts: [Int], sum: Double, count: Int) { state.withLock { $0 } }
    }

    private struct Key: Hashable {
        var name: String
        var labels: [String]
    }

    /// Histogram bucket bounds for recorders (by metric name; default: latency-like milliseconds).
    private let buckets: [String: [Double]]
    private let defaultBuckets: [Double]
    // The mutex guards the registry of series.
    private let registry = Mutex<[Key: (Kind, Series)]>([:])

    /// Creates a backend; `buckets` overrides histogram bounds per metric name.
    public init(defaultBuckets: [Double] = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10], buckets: [String: [Double]] = [:]) {
        self.defaultBuckets = defaultBuckets
        self.buckets = buckets
    }

    private func series(_ label: String, _ dimensions: [(String, String)], _ kind: Kind) -> Series {
        let name = Self.sanitize(label)
        let labels = dimensions.map { "\(Self.sanitize($0.0))=\"\(Self.escape($0.1))\"" }
        let key = Key(name: name, labels: labels)
        return registry.withLock { map in
            if let existing = map[key] { return existing.1 }
            let created = Series(kind: kind, buckets: kind == .histogram ? (buckets[label] ?? defaultBuckets) : [])
            map[key] = (kind, created)
            return created
        }
    }

    /// Creates or returns a counter.
    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        series(label, dimensions, .counter)
    }

    /// Creates or returns a floating-point counter.
    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        series(label, dimensions, .counter)
    }

    /// Creates or returns a gauge (`aggregate: false`) or histogram (`aggregate: true`).
    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        series(label, dimensions, aggregate ? .histogram : .gauge)
    }

    /// Creates or returns a gauge.
    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        series(label, dimensions, .gauge)
    }

    /// Creates or returns a histogram in seconds.
    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        series(label, dimensions, .histogram)
    }

    /// Series live for the process; nothing to release.
    public func destroyCounter(_ handler: any CounterHandler) {}
    /// Series live for the process; nothing to release.
    public func destroyRecorder(_ handler: any RecorderHandler) {}
    /// Series live for the process; nothing to release.
    public func destroyTimer(_ handler: any TimerHandler) {}
    /// Series live for the process; nothing to release.
    public func destroyMeter(_ handler: any MeterHandler) {}
    /// Series live for the process; nothing to release.
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}

    /// The Prometheus text exposition of every series.
    public func render() -> String {
        let all = registry.withLock { $0 }
        var byName: [String: [(Key, Kind, Series)]] = [:]
        for (key, value) in all { byName[key.name, default: []].append((key, value.0, value.1)) }
        var out = ""
        for name in byName.keys.sorted() {
            let entries = byName[name]!.sorted { $0.0.labels.joined() < $1.0.labels.joined() }
            out += "# TYPE \(name) \(entries[0].1.rawValue)\n"
            for (key, kind, series) in entries {
                let s = series.snapshot()
                let labels = key.labels.joined(separator: ",")
                switch kind {
                case .counter, .gauge:
                    out += "\(name)\(labels.isEmpty ? "" : "{\(labels)}") \(Self.format(s.value))\n"
                case .histogram:
                    let prefix = labels.isEmpty ? "" : labels + ","
                    for (i, bound) in series.buckets.enumerated() {
                        out += "\(name)_bucket{\(prefix)le=\"\(Self.format(bound))\"} \(s.counts[i])\n"
                    }
                    out += "\(name)_bucket{\(prefix)le=\"+Inf\"} \(s.count)\n"
                    out += "\(name)_sum\(labels.isEmpty ? "" : "{\(labels)}") \(Self.format(s.sum))\n"
                    out += "\(name)_count\(labels.isEmpty ? "" : "{\(labels)}") \(s.count)\n"
                }
            }
        }
        return out
    }

    static func sanitize(_ name: String) -> String {
        String(name.unicodeScalars.map { ($0.properties.isAlphabetic && $0.isASCII) || ("0"..."9").contains($0) || $0 == "_" ? Character($0) : "_" })
    }

    static func escape(_ value: String) -> String {
        value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("\n", with: "\\n")
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
