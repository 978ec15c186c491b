/// A mergeable quantile sketch with a relative-error guarantee: a log-bucket (HDR-style) histogram.
///
/// Each non-zero value is counted in the bucket given by its exponent and its top `precisionBits` mantissa bits,
/// so bucket boundaries grow geometrically by at most a factor 1 + 2^-precisionBits. A quantile is answered with the
/// harmonic middle of its bucket, clamped to the observed min/max.
///
/// **Error bound**: for the rank-`⌊q·(n−1)⌋` order statistic `x` (NumPy method "lower"), the answer `v` satisfies
/// `|v − x| ≤ relativeError · |x|` with `relativeError = 2^-(precisionBits+1)` (0.39 % at the default 7 bits), for
/// every normal double, as long as no bucket was collapsed. **Memory**: at most `maxBuckets` counters per sign
/// (default 4096 = 32 factors of two of range, i.e. ≤ 32 KiB per sign; typically 1–3 KiB: 128 buckets per
/// factor of two actually spanned). When a sign
/// needs more buckets, the smallest magnitudes are collapsed into one bucket (DDSketch's policy), which only affects
/// quantiles among the smallest |x|. Merging sketches of equal precision is exact: the merge equals the sketch of the union.
public struct QuantileSketch: Sendable, Hashable, Codable {
    /// Mantissa bits kept per bucket (sub-buckets per factor of two = 2^precisionBits).
    public let precisionBits: Int
    /// Maximum number of buckets per sign before the smallest magnitudes are collapsed.
    public let maxBuckets: Int
    /// Number of values added (finite ones only).
    public private(set) var count: Int = 0
    /// Number of exact zeros.
    public private(set) var zeroCount: Int = 0
    /// Number of NaN or infinite values that were skipped.
    public private(set) var nonFinite: Int = 0
    /// Smallest value added (`+infinity` when empty).
    public private(set) var min: Double = .infinity
    /// Largest value added (`-infinity` when empty).
    public private(set) var max: Double = -.infinity
    /// Sum of the values added.
    public private(set) var sum: Double = 0
    private var positive = Store()
    private var negative = Store()

    /// Creates an empty sketch; `precisionBits` in 1…12 sets the relative error 2^-(precisionBits+1).
    public init(precisionBits: Int = 7, maxBuckets: Int = 4096) throws(StatsError) {
        guard (1...12).contains(precisionBits) else {
            throw .invalidArgument("precisionBits", "must be in 1...12, got \(precisionBits)")
        }
        guard maxBuckets >= 16 else { throw .invalidArgument("maxBuckets", "must be at least 16, got \(maxBuckets)") }
        self.precisionBits = precisionBits
        self.maxBuckets = maxBuckets
    }

    /// The guaranteed relative error of `quantile(_:)`, 2^-(precisionBits+1).
    public var relativeError: Double { 1 / Double(1 << (precisionBits + 1)) }

    /// Buckets currently allocated (both signs); memory is about 8 bytes per bucket.
    public var bucketCount: Int { positive.counts.count + negative.counts.count }

    /// The mean of the values added (NaN when empty).
    public var mean: Double { count == 0 ? .nan : sum / Double(count) }

    @inline(__always)
    private var shift: UInt64 { UInt64(52 - precisionBits) }

    /// Adds one value (NaN/infinity are tallied in `nonFinite`).
    @inline(__always)
    public mutating func add(_ x: Double) {
        guard x.isFinite else {
            nonFinite += 1
            return
        }
        count += 1
        sum += x
        if x < min { min = x }
        if x > max { max = x }
        if x > 0 {
            positive.increment(Int(truncatingIfNeeded: x.bitPattern >> shift), by: 1, maxBuckets: maxBuckets)
        } else if x < 0 {
            negative.increment(Int(truncatingIfNeeded: (-x).bitPattern >> shift), by: 1, maxBuckets: maxBuckets)
        } else {
            zeroCount += 1
        }
    }

    /// Adds a batch of values: the agent's hot path.
    public mutating func add(contentsOf values: UnsafeBufferPointer<Double>) {
        let shift = self.shift
        var lo = min
        var hi = max
        var s = sum
        var added = 0
        for x in values {
            guard x.isFinite else {
                nonFinite += 1
                continue
            }
            added += 1
            s += x
            lo = x < lo ? x : lo
            hi = x > hi ? x : hi
            if x > 0 {
                let key = Int(truncatingIfNeeded: x.bitPattern >> shift)
                let i = key &- positive.offset
                if i >= 0 && i < positive.counts.count {
                    positive.counts.withUnsafeMutableBufferPointer { $0[i] &+= 1 }
                } else {
                    positive.increment(key, by: 1, maxBuckets: maxBuckets)
                }
            } else if x < 0 {
                negative.increment(Int(truncatingIfNeeded: (-x).bitPattern >> shift), by: 1, maxBuckets: maxBuckets)
            } else {
                zeroCount += 1
            }
        }
        count += added
        sum = s
        min = lo
        max = hi
    }

    /// Adds a batch of values.
    public mutating func add(contentsOf values: [Double]) {
        values.withUnsafeBufferPointer { add(contentsOf: $0) }
    }

    /// Adds another sketch of the same precision; the result equals the sketch of the union (up to collapsing).
    public mutating func merge(_ other: QuantileSketch) throws(StatsError) {
        guard other.precisionBits == precisionBits else {
            throw .incompatible(
                "quantile sketches with precisionBits \(precisionBits) and \(other.precisionBits) cannot be merged")
        }
        positive.merge(other.positive, maxBuckets: maxBuckets)
        negative.merge(other.negative, maxBuckets: maxBuckets)
        count += other.count
        zeroCount += other.zeroCount
        nonFinite += other.nonFinite
        sum += other.sum
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
    }

    /// The value at quantile `q` in [0, 1] (rank ⌊q·(n−1)⌋), within `relativeError`; nil when empty.
    public func quantile(_ q: Double) -> Double? {
        guard count > 0, q >= 0, q <= 1 else { return nil }
        let rank = Int((q * Double(count - 1)).rounded(.down))
        if rank == 0 { return min }
        if rank == count - 1 { return max }
        var seen = 0
        // Negative values from the largest magnitude down.
        let negativeTotal = negative.counts.reduce(0, +)
        if rank < negativeTotal {
            for i in stride(from: negative.counts.count - 1, through: 0, by: -1) {
                seen += negative.counts[i]
                if seen > rank { return clamp(-representative(negative.offset + i)) }
            }
        }
        seen = negativeTotal
        if rank < seen + zeroCount { return clamp(0) }
        seen += zeroCount
        for i in positive.counts.indices {
            seen += positive.counts[i]
            if seen > rank { return clamp(representative(positive.offset + i)) }
        }
        return max
    }

    private func clamp(_ v: Double) -> Double { Swift.min(Swift.max(v, min), max) }

    /// The value minimising the worst relative error over bucket `key`: 2·lo·hi / (lo + hi).
    private func representative(_ key: Int) -> Double {
        let lo = Double(bitPattern: UInt64(key) << shift)
        let hi = Double(bitPattern: UInt64(key + 1) << shift)
        if !hi.isFinite { return lo }
        return 2 * lo * (hi / (lo + hi))
    }

    /// A dense window of counters over consecutive bucket keys.
    struct Store: Sendable, Hashable, Codable {
        var offset = 0
        var counts: [Int] = []

        mutating func increment(_ key: Int, by n: Int, maxBuckets: Int) {
            if counts.isEmpty {
                offset = key
                counts = [0]
            }
            if key < offset {
                let high = offset + counts.count - 1
                let newLow = Swift.max(key, high - maxBuckets + 1)
                if newLow < offset {
                    counts.insert(contentsOf: repeatElement(0, count: offset - newLow), at: 0)
                    offset = newLow
                }
                counts[Swift.max(key, offset) - offset] += n
                return
            }
            if key >= offset + counts.count {
                let newCount = key - offset + 1
                if newCount > maxBuckets {
                    // Collapse the smallest magnitudes into the new lowest bucket.
                    let drop = newCount - maxBuckets
                    let dropped = counts.prefix(Swift.min(drop, counts.count)).reduce(0, +)
                    counts.removeFirst(Swift.min(drop, counts.count))
                    offset += drop
                    if counts.isEmpty { counts = [0] }
                    counts[0] += dropped
                }
                if key >= offset + counts.count {
                    counts.append(contentsOf: repeatElement(0, count: key - offset - counts.count + 1))
                }
            }
            counts[key - offset] += n
        }

        mutating func merge(_ other: Store, maxBuckets: Int) {
            guard !other.counts.isEmpty else { return }
            // Touch the highest key first so a collapse, if needed, happens once.
            for i in stride(from: other.counts.count - 1, through: 0, by: -1) where other.counts[i] != 0 {
                increment(other.offset + i, by: other.counts[i], maxBuckets: maxBuckets)
            }
        }
    }
}
