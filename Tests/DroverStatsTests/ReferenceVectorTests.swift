import DroverStats
import Testing

@Suite("Drift statistics match SciPy on the reference vectors")
struct ReferenceVectorTests {
    @Test(
        "numeric columns: quantile edges, bin counts, PSI, JS, Wasserstein and KS match",
        arguments: caseIndices { $0.cases.numeric.count })
    func numeric(_ ref: CaseRef) throws {
        let v = ref.vectors
        let c = v.cases.numeric[ref.index]
        let sample = try #require(v.samples[c.name])
        let r = sample.reference.numbers
        let cur = sample.current.numbers
        let result = try DriftStatistics.compareSamples(reference: r, current: cur)
        #expect(result.bins.edges.count == c.bin_edges.count)
        for (a, b) in zip(result.bins.edges, c.bin_edges) { #expect(close(a, b), "edge \(a) vs \(b)") }
        #expect(result.referenceCounts == c.reference_counts)
        #expect(result.currentCounts == c.current_counts)
        #expect(result.counts.nReference == c.n_reference && result.counts.nCurrent == c.n_current)
        #expect(close(result.counts.psi, c.psi), "psi \(result.counts.psi) vs \(c.psi)")
        #expect(close(result.counts.jsDistance, c.js_distance), "js \(result.counts.jsDistance) vs \(c.js_distance)")
        #expect(close(result.wasserstein, c.wasserstein), "w1 \(result.wasserstein) vs \(c.wasserstein)")
        #expect(close(result.ks.statistic, c.ks.statistic), "D \(result.ks.statistic) vs \(c.ks.statistic)")
        #expect(close(result.ks.pValue, c.ks.p_value, rel: 1e-6), "p \(result.ks.pValue) vs \(c.ks.p_value)")

        // The separate entry points and the streaming path agree with the one-shot comparison.
        let ks = try DriftStatistics.kolmogorovSmirnov(reference: r, current: cur)
        #expect(close(ks.statistic, c.ks.statistic, rel: 1e-12) && close(ks.pValue, c.ks.p_value, rel: 1e-6))
        #expect(try DriftStatistics.wasserstein(reference: r, current: cur) == result.wasserstein)
        let profile = try ReferenceProfileBuilder.numeric(r)
        #expect(profile.bins == result.bins)
        #expect(profile.counts == c.reference_counts)
        var window = NumericCounts(bins: profile.bins)
        window.add(contentsOf: cur)
        #expect(window.counts == c.current_counts)
        let fromCounts = try DriftStatistics.compare(reference: profile, current: window)
        #expect(close(fromCounts.psi, c.psi) && close(fromCounts.jsDistance, c.js_distance))
    }

    @Test(
        "categorical columns: counts, chi-square (statistic, p-value, dof), PSI and JS match",
        arguments: caseIndices { $0.cases.categorical.count })
    func categorical(_ ref: CaseRef) throws {
        let v = ref.vectors
        let c = v.cases.categorical[ref.index]
        let sample = try #require(v.samples[c.name])
        var reference = try CategoryCounts(categories: c.categories)
        reference.add(contentsOf: sample.reference.strings)
        var current = try CategoryCounts(categories: c.categories)
        current.add(contentsOf: sample.current.strings)
        #expect(Array(reference.counts.dropLast()) == c.reference_counts)
        #expect(Array(current.counts.dropLast()) == c.current_counts)
        #expect(reference.counts.last == 0 && current.counts.last == 0)
        let result = try DriftStatistics.compare(reference: reference, current: current)
        #expect(
            close(result.chiSquare.statistic, c.chi_square.statistic),
            "chi2 \(result.chiSquare.statistic) vs \(c.chi_square.statistic)")
        #expect(
            close(result.chiSquare.pValue, c.chi_square.p_value, rel: 1e-6),
            "p \(result.chiSquare.pValue) vs \(c.chi_square.p_value)")
        #expect(result.chiSquare.dof == c.chi_square.dof)
        #expect(close(result.psi, c.psi), "psi \(result.psi) vs \(c.psi)")
        #expect(close(result.jsDistance, c.js_distance), "js \(result.jsDistance) vs \(c.js_distance)")
    }

    @Test(
        "Mann–Whitney U and its tie-corrected asymptotic p-value match",
        arguments: caseIndices { $0.cases.mann_whitney.count })
    func mannWhitney(_ ref: CaseRef) throws {
        let c = ref.vectors.cases.mann_whitney[ref.index]
        let result = try MannWhitney.test(c.x, c.y)
        #expect(close(result.u, c.u))
        #expect(close(result.pValue, c.p_value, rel: 1e-6), "p \(result.pValue) vs \(c.p_value)")
    }

    @Test("classification metrics match scikit-learn", arguments: caseIndices { $0.cases.classification.count })
    func classification(_ ref: CaseRef) throws {
        let c = ref.vectors.cases.classification[ref.index]
        let m = try Classification.evaluate(labels: c.labels, scores: c.scores, threshold: c.threshold)
        #expect(close(m.accuracy, c.accuracy))
        #expect(close(m.precision, c.precision))
        #expect(close(m.recall, c.recall))
        #expect(close(m.f1, c.f1))
        #expect(close(try #require(m.rocAUC), c.roc_auc), "auc \(m.rocAUC ?? .nan) vs \(c.roc_auc)")
        #expect(close(m.logLoss, c.log_loss), "log-loss \(m.logLoss) vs \(c.log_loss)")
        #expect(m.expectedCalibrationError >= 0 && m.expectedCalibrationError <= 1)
    }

    @Test(
        "ranking metrics match scikit-learn ndcg_score and the generator's MRR and recall@k",
        arguments: StatsVectors.seeds)
    func ranking(_ seed: String) throws {
        let c = StatsVectors.load(seed).cases.ranking[0]
        let queries = c.queries.map { RankedQuery(relevance: $0.relevance, scores: $0.scores) }
        for (q, expected) in zip(queries, c.per_query_ndcg_at_k) {
            #expect(close(try Ranking.ndcg(q, k: c.k), expected))
        }
        let m = try Ranking.evaluate(queries, k: c.k)
        #expect(close(m.ndcg, c.ndcg_at_k_mean))
        #expect(close(m.mrr, c.mrr_mean))
        #expect(close(m.recall, c.recall_at_k_mean))
        #expect(m.hitRate > 0 && m.hitRate <= 1)
    }

    @Test("embedding centroid cosine distance matches", arguments: StatsVectors.seeds)
    func embedding(_ seed: String) throws {
        let c = StatsVectors.load(seed).cases.embedding[0]
        let d = try EmbeddingDrift.centroidCosineDistance(reference: c.reference, current: c.current)
        #expect(close(d, c.centroid_cosine_distance), "\(d) vs \(c.centroid_cosine_distance)")
        let result = try EmbeddingDrift.compare(
            reference: EmbeddingSummary(vectors: c.reference), current: EmbeddingSummary(vectors: c.current))
        #expect(result.driftedDimensionShare > 0 && result.driftedDimensionShare < 1)
    }
}
