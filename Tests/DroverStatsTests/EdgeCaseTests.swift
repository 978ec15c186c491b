import DroverStats
import Foundation
import Testing

@Suite("Edge cases: empty, constant, identical, NaN, single category")
struct EdgeCaseTests {
    @Test("NaN and infinity in a sample are rejected with a typed error naming the index")
    func nanRejected() {
        do {
            _ = try DriftStatistics.kolmogorovSmirnov(reference: [1, 2, 3], current: [1, 2, .nan])
            Issue.record("expected a StatsError")
        } catch {
            #expect(error.isNonFinite)
            #expect(error.description.contains("index 2"))
        }
        #expect(throws: StatsError.self) { try DriftStatistics.wasserstein(reference: [.infinity], current: [1]) }
        #expect(throws: StatsError.self) { try ReferenceProfileBuilder.numeric([1, .nan]) }
        #expect(throws: StatsError.self) { try MannWhitney.test([1, .nan], [2]) }
        #expect(throws: StatsError.self) { try Classification.evaluate(labels: [1, 0], scores: [0.5, .nan]) }
    }

    @Test("empty samples and empty count vectors are rejected")
    func emptyRejected() {
        do {
            _ = try DriftStatistics.compareSamples(reference: [], current: [1])
            Issue.record("expected a StatsError")
        } catch {
            #expect(error.isEmpty)
        }
        #expect(throws: StatsError.self) { try DriftStatistics.psi(reference: [0, 0], current: [1, 2]) }
        #expect(throws: StatsError.self) { try DriftStatistics.chiSquare(reference: [], current: []) }
        #expect(throws: StatsError.self) { try DriftStatistics.psi(reference: [1, 2], current: [1, 2, 3]) }
        #expect(throws: StatsError.self) { try Ranking.evaluate([]) }
    }

    @Test("identical samples give zero drift and p-value 1")
    func identical() throws {
        let x = (0..<1000).map { Double($0 % 37) * 0.5 }
        let r = try DriftStatistics.compareSamples(reference: x, current: x)
        #expect(r.ks.statistic == 0)
        #expect(r.ks.pValue == 1)
        #expect(r.wasserstein == 0)
        #expect(r.counts.psi == 0)
        #expect(r.counts.jsDistance == 0)
        #expect(r.counts.chiSquare.statistic == 0)
        #expect(close(r.counts.chiSquare.pValue, 1))
    }

    @Test("a constant reference column has one edge and two bins; a shifted constant is drift")
    func constantColumn() throws {
        let reference = [Double](repeating: 3, count: 500)
        let current = [Double](repeating: 4, count: 500)
        let r = try DriftStatistics.compareSamples(reference: reference, current: current)
        #expect(r.bins.edges == [3])
        #expect(r.referenceCounts == [0, 500])
        #expect(r.currentCounts == [0, 500])
        #expect(r.counts.psi == 0)  // both fall in the same open bin: PSI cannot see it
        #expect(r.ks.statistic == 1)
        #expect(r.wasserstein == 1)
        #expect(r.wassersteinNormalized == nil)
        let verdict = DriftPolicy().assess(DriftEvidence(name: "c", samples: r))
        #expect(verdict.level == .drift)  // KS D = 1 is a large effect and significant
        let lower = try DriftStatistics.compareSamples(
            reference: reference, current: [Double](repeating: 2, count: 500))
        #expect(lower.currentCounts == [500, 0])
        #expect(lower.counts.psi > 1)
    }

    @Test("a single category on both sides has dof 0 and p-value 1; a category new in current is detected")
    func singleCategory() throws {
        let chi = try DriftStatistics.chiSquare(reference: [10, 0], current: [7, 0])
        #expect(chi == ChiSquareResult(statistic: 0, pValue: 1, dof: 0))
        var reference = try ReferenceProfileBuilder.categorical([String](repeating: "web", count: 200))
        #expect(reference.categories == ["web"])
        var current = try CategoryCounts(categories: reference.categories)
        current.add(contentsOf: [String](repeating: "web", count: 150) + [String](repeating: "mini_program", count: 50))
        #expect(current.count(of: CategoryCounts.other) == 50)
        let c = try DriftStatistics.compare(reference: reference, current: current)
        #expect(c.chiSquare.dof == 1)
        #expect(c.chiSquare.pValue < 1e-10)
        #expect(c.psi > 0.2)
        reference.add("web")
        #expect(reference.total == 201)
    }

    @Test("the profile builder keeps the top categories and counts the rest as __other__")
    func topCategories() throws {
        let sample = ["a", "a", "a", "b", "b", "c", "d"]
        let profile = try ReferenceProfileBuilder.categorical(sample, maxCategories: 2)
        #expect(profile.categories == ["a", "b"])
        #expect(profile.counts == [3, 2, 2])
        #expect(throws: StatsError.self) { try CategoryCounts(categories: ["a", "a"]) }
        #expect(throws: StatsError.self) { try CategoryCounts(categories: [CategoryCounts.other]) }
    }

    @Test("bins must be strictly increasing and finite")
    func badBins() {
        #expect(throws: StatsError.self) { try NumericBins(edges: [1, 1]) }
        #expect(throws: StatsError.self) { try NumericBins(edges: [.nan]) }
        #expect(throws: StatsError.self) { try NumericCounts(bins: NumericBins(edges: [1]), counts: [1]) }
    }

    @Test("classification metrics are 0 when undefined and AUC is nil with one class")
    func undefinedMetrics() throws {
        let m = try Classification.evaluate(labels: [0, 0, 0], scores: [0.1, 0.2, 0.3])
        #expect(m.precision == 0 && m.recall == 0 && m.f1 == 0)
        #expect(m.rocAUC == nil)
        #expect(m.accuracy == 1)
        #expect(throws: StatsError.self) { try Classification.evaluate(labels: [2], scores: [0.5]) }
        // Clipping: a confident wrong prediction costs -ln(eps), not infinity.
        let loss = try Classification.logLoss(labels: [true], scores: [0])
        #expect(close(loss, -log(Double.ulpOfOne)))
        // Perfect calibration in every bin gives ECE 0.
        let ece = try Classification.expectedCalibrationError(
            labels: [true, false, true, false], scores: [0.5, 0.5, 0.55, 0.55])
        #expect(close(ece, 0.025))
    }

    @Test("ranking metrics on small hand-made queries")
    func rankingByHand() throws {
        let q = RankedQuery(relevance: [0, 1, 0, 2], scores: [0.9, 0.8, 0.7, 0.1])
        #expect(try Ranking.reciprocalRank(q) == 0.5)
        #expect(try Ranking.recall(q, k: 2) == 0.5)
        #expect(try Ranking.hit(q, k: 1) == 0)
        #expect(try Ranking.hit(q, k: 2) == 1)
        let none = RankedQuery(relevance: [0, 0], scores: [1, 2])
        #expect(try Ranking.ndcg(none) == 0 && Ranking.reciprocalRank(none) == 0 && Ranking.recall(none) == 0)
        // All scores tied: the gain is averaged over the tied positions.
        let tied = RankedQuery(relevance: [1, 0], scores: [1, 1])
        #expect(close(try Ranking.ndcg(tied), (0.5 * (1 + 1 / log2(3.0))) / 1))
    }
}

private func log(_ x: Double) -> Double { Foundation.log(x) }
private func log2(_ x: Double) -> Double { Foundation.log2(x) }
