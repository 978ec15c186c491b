/// An exact two-sample KS statistic without sorting everything: histogram bounds, then only the candidate buckets.
///
/// Both samples are counted into 65,536 equal-width value buckets over their joint range (a monotone map, so
/// buckets are ordered intervals and equal values share one). The cumulative counts at each bucket's end are
/// exact ECDF values at an observed point (a lower bound on D); inside a bucket the ECDF difference cannot
/// exceed max(|R₀/n − C₁/m|, |R₁/n − C₀/m|). Only buckets whose bound beats the best exact value can hold the
/// supremum; their values are gathered, sorted and walked exactly. The result is identical to the full-sort
/// merge. When the candidates hold more than 1/8 of the data (heavy ties across a wide range, extreme outliers)
/// this returns nil and the caller sorts.
enum KolmogorovSmirnovPruned {
    private static let bucketCount = 1 << 16

    static func statistic(_ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>)
        -> KolmogorovSmirnovResult?
    {
        let n = a.count
        let m = b.count
        guard n + m >= 4096 else { return nil }
        var lo = a[0]
        var hi = a[0]
        for x in a {
            lo = Swift.min(lo, x)
            hi = Swift.max(hi, x)
        }
        for x in b {
            lo = Swift.min(lo, x)
            hi = Swift.max(hi, x)
        }
        if lo == hi { return result(0, 0, n, m) }
        let scale = Double(bucketCount) / (hi - lo)
        guard scale.isFinite, scale > 0 else { return nil }
        let last = bucketCount - 1
        @inline(__always) func bucket(_ x: Double) -> Int { Swift.min(last, Int((x - lo) * scale)) }

        let countsA = UnsafeMutableBufferPointer<Int32>.allocate(capacity: bucketCount)
        let countsB = UnsafeMutableBufferPointer<Int32>.allocate(capacity: bucketCount)
        let startA = UnsafeMutableBufferPointer<Int>.allocate(capacity: bucketCount)
        let startB = UnsafeMutableBufferPointer<Int>.allocate(capacity: bucketCount)
        let candidate = UnsafeMutableBufferPointer<Bool>.allocate(capacity: bucketCount)
        defer {
            countsA.deallocate()
            countsB.deallocate()
            startA.deallocate()
            startB.deallocate()
            candidate.deallocate()
        }
        countsA.initialize(repeating: 0)
        countsB.initialize(repeating: 0)
        for x in a { countsA[bucket(x)] &+= 1 }
        for x in b { countsB[bucket(x)] &+= 1 }

        // Exact values at bucket ends, and the bound inside each bucket.
        var r = 0
        var c = 0
        var best = 0
        var bestI = 0
        var bestJ = 0
        for k in 0..<bucketCount {
            startA[k] = r
            startB[k] = c
            r &+= Int(countsA[k])
            c &+= Int(countsB[k])
            let exact = Swift.abs(r &* m &- c &* n)
            if exact > best {
                best = exact
                bestI = r
                bestJ = c
            }
        }
        var candidateMass = 0
        for k in 0..<bucketCount {
            let r0 = startA[k]
            let c0 = startB[k]
            let r1 = r0 &+ Int(countsA[k])
            let c1 = c0 &+ Int(countsB[k])
            let bound = Swift.max(Swift.abs(r0 &* m &- c1 &* n), Swift.abs(r1 &* m &- c0 &* n))
            let isCandidate = bound > best && r1 &+ c1 > r0 &+ c0
            candidate[k] = isCandidate
            if isCandidate { candidateMass &+= r1 &+ c1 &- r0 &- c0 }
        }
        if candidateMass == 0 { return result(bestI, bestJ, n, m) }
        guard candidateMass <= (n + m) / 8 else { return nil }

        // Gather and sort the candidates' values, then walk them bucket by bucket from the exact prefix counts.
        var listA: [Double] = []
        var listB: [Double] = []
        for x in a where candidate[bucket(x)] { listA.append(x) }
        for x in b where candidate[bucket(x)] { listB.append(x) }
        listA.sort()
        listB.sort()
        var ia = 0
        var ib = 0
        while ia < listA.count || ib < listB.count {
            let ka = ia < listA.count ? bucket(listA[ia]) : Int.max
            let kb = ib < listB.count ? bucket(listB[ib]) : Int.max
            let k = Swift.min(ka, kb)
            var i = startA[k]
            var j = startB[k]
            while true {
                let headA = ia < listA.count && bucket(listA[ia]) == k ? listA[ia] : Double.infinity
                let headB = ib < listB.count && bucket(listB[ib]) == k ? listB[ib] : Double.infinity
                if headA == .infinity && headB == .infinity { break }
                let v = Swift.min(headA, headB)
                while ia < listA.count && listA[ia] == v {
                    ia += 1
                    i += 1
                }
                while ib < listB.count && listB[ib] == v {
                    ib += 1
                    j += 1
                }
                let diff = Swift.abs(i &* m &- j &* n)
                if diff > best {
                    best = diff
                    bestI = i
                    bestJ = j
                }
            }
        }
        return result(bestI, bestJ, n, m)
    }

    private static func result(_ i: Int, _ j: Int, _ n: Int, _ m: Int) -> KolmogorovSmirnovResult {
        let d = Swift.abs(Double(i) / Double(n) - Double(j) / Double(m))
        let en = Double(n * m) / Double(n + m)
        return KolmogorovSmirnovResult(statistic: d, pValue: SpecialFunctions.kolmogorovSurvival(en.squareRoot() * d))
    }
}
