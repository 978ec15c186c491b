/// A uniform random sample of fixed capacity from a stream (Algorithm R), seedable and mergeable.
///
/// Used where an exact test (KS, Wasserstein, Mann–Whitney) needs raw values. Memory: `capacity` doubles.
public struct ReservoirSample: Sendable, Equatable {
    /// Maximum number of values kept.
    public let capacity: Int
    /// The sampled values (at most `capacity`), in no particular order.
    public private(set) var values: [Double]
    /// Number of values offered so far (finite ones).
    public private(set) var seen: Int
    private var generator: SeededGenerator

    /// Creates an empty reservoir; the same seed and stream give the same sample.
    public init(capacity: Int, seed: UInt64) throws(StatsError) {
        guard capacity >= 1 else { throw .invalidArgument("capacity", "must be at least 1, got \(capacity)") }
        self.capacity = capacity
        values = []
        values.reserveCapacity(Swift.min(capacity, 1 << 16))
        seen = 0
        generator = SeededGenerator(seed: seed)
    }

    /// Offers one value; NaN and infinities are ignored.
    public mutating func add(_ x: Double) {
        guard x.isFinite else { return }
        seen += 1
        if values.count < capacity {
            values.append(x)
        } else {
            let j = Int.random(in: 0..<seen, using: &generator)
            if j < capacity { values[j] = x }
        }
    }

    /// Offers a batch of values.
    public mutating func add<S: Sequence>(contentsOf xs: S) where S.Element == Double {
        for x in xs { add(x) }
    }

    /// Replaces this sample by a uniform sample of the union of both streams (hypergeometric split).
    public mutating func merge(_ other: ReservoirSample) throws(StatsError) {
        guard other.capacity == capacity else {
            throw .incompatible("reservoirs of capacity \(capacity) and \(other.capacity) cannot be merged")
        }
        let total = seen + other.seen
        let size = Swift.min(capacity, total)
        var remainingA = seen
        var remainingB = other.seen
        var takeA = 0
        for _ in 0..<size {
            let u = Int.random(in: 0..<(remainingA + remainingB), using: &generator)
            if u < remainingA {
                takeA += 1
                remainingA -= 1
            } else {
                remainingB -= 1
            }
        }
        var a = values
        var b = other.values
        a.shuffle(using: &generator)
        b.shuffle(using: &generator)
        values = Array(a.prefix(takeA)) + Array(b.prefix(size - takeA))
        seen = total
    }
}
