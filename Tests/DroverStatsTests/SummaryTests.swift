import DroverStats
import Foundation
import Testing

private func randomSample(_ n: Int, seed: UInt64, scale: Double = 1, shift: Double = 0) -> [Double] {
    var g = SeededGenerator(seed: seed)
    return (0..<n).map { _ in g.nextGaussian() * scale + shift }
}

@Suite("Streaming summaries merge exactly and stay within their bounds")
struct SummaryTests {
    @Test("merging numeric counts equals counting the union", arguments: [1, 7, 42])
    func numericMerge(seed: UInt64) throws {
        let reference = randomSample(2000, seed: seed)
        let profile = try ReferenceProfileBuilder.numeric(reference)
        let a = randomSample(700, seed: seed + 1)
        let b = randomSample(900, seed: seed + 2, shift: 0.3)
        var ca = NumericCounts(bins: profile.bins)
        var cb = NumericCounts(bins: profile.bins)
        var union = NumericCounts(bins: profile.bins)
        ca.add(contentsOf: a)
        cb.add(contentsOf: b)
        union.add(contentsOf: a + b)
        #expect(try ca.merging(cb) == union)
        // Single-value and batch paths agree, and NaN is tallied apart.
        var one = NumericCounts(bins: profile.bins)
        for x in a { one.add(x) }
        one.add(.nan)
        #expect(one.counts == ca.counts)
        #expect(one.nonFinite == 1)
        var batch = NumericCounts(bins: profile.bins)
        batch.add(contentsOf: a + [.nan, .infinity])
        #expect(batch.counts == ca.counts && batch.nonFinite == 2)
        // Counts over other edges do not merge.
        let other = try NumericCounts(bins: NumericBins(edges: [0]))
        #expect(throws: StatsError.self) { try ca.merge(other) }
    }

    @Test("bin index follows searchsorted(edges, x, side='right') for every edge count")
    func binIndex() throws {
        for k in [0, 1, 2, 3, 6, 7, 9, 12, 20] {
            let bins = try NumericBins(edges: (0..<k).map(Double.init))
            for x in stride(from: -1.5, through: Double(k) + 0.5, by: 0.5) {
                let expected = (0..<k).filter { Double($0) <= x }.count
                #expect(bins.index(of: x) == expected, "k=\(k) x=\(x)")
            }
            var counts = NumericCounts(bins: bins)
            let xs = Array(stride(from: -1.5, through: Double(k) + 0.5, by: 0.25))
            counts.add(contentsOf: xs)
            #expect(counts.counts == (try bins.counts(xs)))
            #expect(counts.counts == xs.reduce(into: [Int](repeating: 0, count: k + 1)) { $0[bins.index(of: $1)] += 1 })
        }
    }

    @Test("merging category counts equals counting the union")
    func categoryMerge() throws {
        var a = try CategoryCounts(categories: ["ios", "android"])
        var b = a
        var union = a
        a.add(contentsOf: ["ios", "web", "ios"])
        b.add(contentsOf: ["android", "ios"])
        union.add(contentsOf: ["ios", "web", "ios", "android", "ios"])
        #expect(try a.merging(b) == union)
        #expect(union.counts == [3, 1, 1])
    }

    @Test("quantile sketch answers within its stated relative error and merges exactly", arguments: [3, 11])
    func sketch(seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        let values =
            (0..<50_000).map { _ in Foundation.exp(g.nextGaussian() * 2) * (g.nextUnit() < 0.1 ? -1 : 1) } + [0, 0, 0]
        var whole = try QuantileSketch()
        whole.add(contentsOf: values)
        let sorted = values.sorted()
        for q in [0.0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1] {
            let exact = sorted[Int((q * Double(sorted.count - 1)).rounded(.down))]
            let estimate = try #require(whole.quantile(q))
            #expect(
                abs(estimate - exact) <= whole.relativeError * abs(exact) * (1 + 1e-12),
                "q=\(q) \(estimate) vs \(exact)")
        }
        var left = try QuantileSketch()
        var right = try QuantileSketch()
        left.add(contentsOf: Array(values[..<20_000]))
        for x in values[20_000...] { right.add(x) }
        try left.merge(right)
        #expect(left.count == whole.count && left.zeroCount == whole.zeroCount)
        #expect(left.min == whole.min && left.max == whole.max)
        for q in stride(from: 0.0, through: 1.0, by: 0.01) { #expect(left.quantile(q) == whole.quantile(q)) }
        #expect(whole.bucketCount < 2 * 4096)  // 23 factors of two spanned per sign: no collapse
        #expect(try QuantileSketch().quantile(0.5) == nil)
    }

    @Test("quantile sketch memory stays bounded on a huge range by collapsing the smallest magnitudes")
    func sketchBounded() throws {
        var s = try QuantileSketch(precisionBits: 7, maxBuckets: 256)
        var x = 1e-300
        while x < 1e300 {
            s.add(x)
            x *= 1.01
        }
        #expect(s.bucketCount <= 256)
        let top = try #require(s.quantile(1))
        #expect(top == s.max)
        let p99 = try #require(s.quantile(0.99))
        #expect(p99 > 1e200)
    }

    @Test("reservoir sampling is reproducible for a seed, bounded, and merges to a sample of the union")
    func reservoir() throws {
        var a = try ReservoirSample(capacity: 100, seed: 9)
        var a2 = try ReservoirSample(capacity: 100, seed: 9)
        a.add(contentsOf: (0..<10_000).map(Double.init))
        a2.add(contentsOf: (0..<10_000).map(Double.init))
        #expect(a == a2)
        #expect(a.values.count == 100 && a.seen == 10_000)
        // Roughly uniform: the mean of the sample is near the stream mean.
        let mean = a.values.reduce(0, +) / 100
        #expect(abs(mean - 4999.5) < 1000)
        var b = try ReservoirSample(capacity: 100, seed: 10)
        b.add(contentsOf: (0..<30_000).map { 1e6 + Double($0) })
        try a.merge(b)
        #expect(a.values.count == 100 && a.seen == 40_000)
        let fromB = a.values.filter { $0 >= 1e6 }.count
        #expect(fromB > 55 && fromB < 95)  // expected 75
        var small = try ReservoirSample(capacity: 100, seed: 1)
        small.add(contentsOf: [1, 2, 3])
        var small2 = try ReservoirSample(capacity: 100, seed: 2)
        small2.add(4)
        try small.merge(small2)
        #expect(small.values.sorted() == [1, 2, 3, 4])
    }

    @Test("embedding summaries merge to the summary of the union")
    func embeddingMerge() throws {
        var g = SeededGenerator(seed: 5)
        let vectors = (0..<300).map { _ in (0..<8).map { d in g.nextGaussian() + Double(d) } }
        var a = try EmbeddingSummary(vectors: Array(vectors[..<100]))
        let b = try EmbeddingSummary(vectors: Array(vectors[100...]))
        let all = try EmbeddingSummary(vectors: vectors)
        try a.merge(b)
        #expect(a.count == all.count)
        for d in 0..<8 {
            #expect(close(a.mean[d], all.mean[d], rel: 1e-12, abs: 1e-12))
            #expect(close(a.standardDeviation[d], all.standardDeviation[d], rel: 1e-12))
        }
        #expect(throws: StatsError.self) { try a.add([1, 2]) }
        #expect(throws: StatsError.self) { try a.add([Double](repeating: .nan, count: 8)) }
        let same = try EmbeddingDrift.compare(reference: all, current: all)
        #expect(abs(same.centroidCosineDistance) < 1e-12 && same.driftedDimensions == 0)
    }

    @Test("KS and Wasserstein on large samples agree with a direct computation (radix sort path)")
    func largeSamples() throws {
        let a = randomSample(1500, seed: 1)
        let b = randomSample(1200, seed: 2, scale: 1.2, shift: 0.1) + [-0.0, 0.0]
        let ks = try DriftStatistics.kolmogorovSmirnov(reference: a, current: b)
        let sa = a.sorted()
        let sb = b.sorted()
        var d = 0.0
        for x in sa + sb {
            let fa = Double(sa.filter { $0 <= x }.count) / Double(sa.count)
            let fb = Double(sb.filter { $0 <= x }.count) / Double(sb.count)
            d = max(d, abs(fa - fb))
        }
        #expect(close(ks.statistic, d, rel: 1e-12))
        // Wasserstein-1 of a shifted copy is the shift.
        let w = try DriftStatistics.wasserstein(reference: a, current: a.map { $0 + 0.25 })
        #expect(close(w, 0.25, rel: 1e-9))
    }

    @Test("special functions: chi-square and Kolmogorov tails at known points")
    func specialFunctions() {
        #expect(close(SpecialFunctions.chiSquareSurvival(3.841458820694124, dof: 1), 0.05, rel: 1e-9))
        #expect(close(SpecialFunctions.chiSquareSurvival(18.307038053275146, dof: 10), 0.05, rel: 1e-9))
        #expect(close(SpecialFunctions.kolmogorovSurvival(1.3580986393225505), 0.05, rel: 1e-8))
        #expect(SpecialFunctions.kolmogorovSurvival(0) == 1)
        #expect(close(SpecialFunctions.normalSurvival(1.959963984540054), 0.025, rel: 1e-9))
        #expect(close(SpecialFunctions.logGamma(10), 12.801827480081469, rel: 1e-13))
    }

    @Test("Benjamini–Hochberg matches statsmodels' fdr_bh")
    func benjaminiHochberg() {
        let q = MultipleTesting.benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.5])
        let expected = [0.025, 0.05, 0.05, 0.025, 0.5]
        for (a, b) in zip(q, expected) { #expect(close(a, b)) }
        #expect(MultipleTesting.benjaminiHochberg([]).isEmpty)
    }
}
