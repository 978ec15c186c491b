import DroverAPI

/// Latencies of one window: a mergeable fixed-bucket histogram plus a bounded sample for quantiles.
public struct LatencyRecorder: Sendable, Equatable {
    /// Bucket upper bounds in milliseconds.
    public static let bounds: [Double] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]

    private(set) var counts = [Int](repeating: 0, count: LatencyRecorder.bounds.count + 1)
    private var sample = Reservoir(capacity: 2048, seed: 0x5EED)
    private(set) var maxValue: Double?

    /// Creates an empty recorder.
    public init() {}

    /// Number of recorded latencies.
    public var count: Int { counts.reduce(0, +) }

    /// Records one latency in milliseconds.
    public mutating func record(_ ms: Double) {
        guard ms.isFinite, ms >= 0 else { return }
        var index = Self.bounds.count
        for (i, bound) in Self.bounds.enumerated() where ms <= bound {
            index = i
            break
        }
        counts[index] += 1
        sample.add(ms)
        maxValue = Swift.max(maxValue ?? ms, ms)
    }

    /// The window's latency block (nil when nothing was timed).
    public func block() -> LatencyBlock? {
        guard count > 0 else { return nil }
        let sorted = sample.values.sorted()
        func quantile(_ q: Double) -> Double {
            let position = q * Double(sorted.count - 1)
            let lower = Int(position), upper = Swift.min(lower + 1, sorted.count - 1)
            let fraction = position - Double(lower)
            return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
        }
        return LatencyBlock(
            count: count, p50: quantile(0.5), p90: quantile(0.9), p99: quantile(0.99), max: maxValue,
            histogram: Histogram(bounds: Self.bounds, counts: counts))
    }
}

/// A fixed-size uniform sample of a stream (Algorithm R) with its own deterministic generator.
public struct Reservoir: Sendable, Equatable {
    /// The most values kept.
    public let capacity: Int
    /// The kept values.
    public private(set) var values: [Double] = []
    /// Values offered so far.
    public private(set) var seen = 0
    private var state: UInt64

    /// Creates an empty reservoir.
    public init(capacity: Int, seed: UInt64) {
        self.capacity = Swift.max(1, capacity)
        self.state = seed | 1
    }

    /// Offers one value.
    public mutating func add(_ value: Double) {
        seen += 1
        if values.count < capacity {
            values.append(value)
            return
        }
        let slot = Int(next() % UInt64(seen))
        if slot < capacity { values[slot] = value }
    }

    private mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}
