/// Exact sample quantiles with NumPy's default "linear" method (Hyndman & Fan type 7).
public enum Quantiles {
    /// The quantile `p` in [0, 1] of an ascending sorted, non-empty sample, as `numpy.quantile(..., method="linear")`.
    public static func linear(sorted a: UnsafeBufferPointer<Double>, _ p: Double) -> Double {
        precondition(!a.isEmpty, "quantile of an empty sample")
        let n = a.count
        // NumPy: virtual index = n*p + (alpha + p*(1 - alpha - beta)) - 1 with alpha = beta = 1, same operation order.
        let virtual = (Double(n) * p + (1 + p * -1)) - 1
        if virtual >= Double(n - 1) { return a[n - 1] }
        if virtual < 0 { return a[0] }
        let lower = virtual.rounded(.down)
        let gamma = virtual - lower
        let i = Int(lower)
        let x0 = a[i]
        let x1 = a[i + 1]
        let diff = x1 - x0
        return gamma >= 0.5 ? x1 - diff * (1 - gamma) : x0 + diff * gamma
    }

    /// The quantile `p` of an ascending sorted, non-empty array (NumPy "linear").
    public static func linear(sorted a: [Double], _ p: Double) -> Double {
        a.withUnsafeBufferPointer { linear(sorted: $0, p) }
    }

    /// Several quantiles of an unsorted sample by selection (expected O(n log k)), NumPy "linear" semantics.
    public static func linear(unsorted values: UnsafeBufferPointer<Double>, _ probabilities: [Double]) -> [Double] {
        let n = values.count
        precondition(n > 0, "quantile of an empty sample")
        var needed: [Int] = []
        for p in probabilities {
            let virtual = (Double(n) * p + (1 + p * -1)) - 1
            if virtual >= Double(n - 1) {
                needed.append(n - 1)
            } else if virtual < 0 {
                needed.append(0)
            } else {
                let i = Int(virtual.rounded(.down))
                needed.append(i)
                needed.append(i + 1)
            }
        }
        let targets = Array(Set(needed)).sorted()
        let statistics = orderStatistics(values, targets)
        return probabilities.map { p in
            let virtual = (Double(n) * p + (1 + p * -1)) - 1
            if virtual >= Double(n - 1) { return statistics[n - 1]! }
            if virtual < 0 { return statistics[0]! }
            let lower = virtual.rounded(.down)
            let gamma = virtual - lower
            let x0 = statistics[Int(lower)]!
            let x1 = statistics[Int(lower) + 1]!
            let diff = x1 - x0
            return gamma >= 0.5 ? x1 - diff * (1 - gamma) : x0 + diff * gamma
        }
    }

    /// The values at the given ranks (0-based, ascending order) of a finite, non-empty sample.
    ///
    /// Counts the values into 65,536 equal-width buckets over [min, max] (a monotone map), gathers only the
    /// buckets that hold a wanted rank and sorts those; falls back to selection when they hold over 1/8 of the data.
    static func orderStatistics(_ values: UnsafeBufferPointer<Double>, _ ranks: [Int]) -> [Int: Double] {
        let n = values.count
        var lo = values[0]
        var hi = values[0]
        for x in values {
            lo = Swift.min(lo, x)
            hi = Swift.max(hi, x)
        }
        var out: [Int: Double] = [:]
        if lo == hi {
            for r in ranks { out[r] = lo }
            return out
        }
        let bucketCount = 1 << 16
        let scale = Double(bucketCount) / (hi - lo)
        if n >= 4096 && scale.isFinite && scale > 0 {
            let last = bucketCount - 1
            let counts = UnsafeMutableBufferPointer<Int32>.allocate(capacity: bucketCount)
            let wanted = UnsafeMutableBufferPointer<Bool>.allocate(capacity: bucketCount)
            defer {
                counts.deallocate()
                wanted.deallocate()
            }
            counts.initialize(repeating: 0)
            wanted.initialize(repeating: false)
            for x in values { counts[Swift.min(last, Int((x - lo) * scale))] &+= 1 }
            // The bucket of each rank, and how many gathered values precede that bucket.
            var bucketOf: [Int: Int] = [:]
            var cumulative = 0
            var k = 0
            var mass = 0
            for r in ranks {
                while cumulative + Int(counts[k]) <= r {
                    cumulative += Int(counts[k])
                    k += 1
                }
                if !wanted[k] {
                    wanted[k] = true
                    mass += Int(counts[k])
                }
                bucketOf[r] = k
            }
            if mass <= n / 8 {
                var gathered: [Double] = []
                gathered.reserveCapacity(mass)
                for x in values where wanted[Swift.min(last, Int((x - lo) * scale))] { gathered.append(x) }
                gathered.sort()
                // Rank r sits at (r − values before its bucket) + (gathered values in earlier wanted buckets).
                var before = 0
                var gatheredBefore = 0
                var offsets: [Int: (before: Int, gathered: Int)] = [:]
                for b in 0..<bucketCount {
                    if wanted[b] {
                        offsets[b] = (before, gatheredBefore)
                        gatheredBefore += Int(counts[b])
                    }
                    before += Int(counts[b])
                }
                for r in ranks {
                    let o = offsets[bucketOf[r]!]!
                    out[r] = gathered[r - o.before + o.gathered]
                }
                return out
            }
        }
        let work = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
        defer { work.deallocate() }
        _ = work.initialize(from: values)
        multiSelect(work, 0, n, ranks[...])
        for r in ranks { out[r] = work[r] }
        return out
    }

    /// Partially orders `a[lo..<hi]` so that each index in `targets` holds its order statistic.
    private static func multiSelect(
        _ a: UnsafeMutableBufferPointer<Double>, _ lo: Int, _ hi: Int, _ targets: ArraySlice<Int>
    ) {
        var lo = lo
        var hi = hi
        var targets = targets
        while true {
            guard !targets.isEmpty else { return }
            if hi - lo <= 24 {
                // Insertion sort for short ranges.
                var i = lo + 1
                while i < hi {
                    let x = a[i]
                    var j = i - 1
                    while j >= lo && a[j] > x {
                        a[j + 1] = a[j]
                        j -= 1
                    }
                    a[j + 1] = x
                    i += 1
                }
                return
            }
            // Median of three pivot, three-way partition (robust to many ties).
            let mid = lo + (hi - lo) / 2
            let x = a[lo]
            let y = a[mid]
            let z = a[hi - 1]
            let pivot = max(min(x, y), min(max(x, y), z))
            var lt = lo
            var i = lo
            var gt = hi
            while i < gt {
                let v = a[i]
                if v < pivot {
                    a.swapAt(lt, i)
                    lt += 1
                    i += 1
                } else if v > pivot {
                    gt -= 1
                    a.swapAt(i, gt)
                } else {
                    i += 1
                }
            }
            // [lo, lt) < pivot, [lt, gt) == pivot, [gt, hi) > pivot.
            let left = targets.prefix { $0 < lt }
            let right = targets.drop { $0 < gt }
            if left.count <= right.count {
                multiSelect(a, lo, lt, left)
                lo = gt
                targets = right
            } else {
                multiSelect(a, gt, hi, right)
                hi = lt
                targets = left
            }
        }
    }
}
