/// One query's ranked results: graded relevance (0 = irrelevant) and the model's scores, item by item.
public struct RankedQuery: Sendable, Hashable, Codable {
    /// Relevance judgement per item (e.g. 0…3).
    public var relevance: [Double]
    /// Model score per item; items are ranked by descending score.
    public var scores: [Double]

    /// Creates a query.
    public init(relevance: [Double], scores: [Double]) {
        self.relevance = relevance
        self.scores = scores
    }
}

/// Mean ranking metrics over queries.
public struct RankingMetrics: Sendable, Hashable, Codable {
    /// Cut-off k.
    public var k: Int
    /// Number of queries.
    public var queries: Int
    /// Mean NDCG@k.
    public var ndcg: Double
    /// Mean reciprocal rank of the first relevant item.
    public var mrr: Double
    /// Mean recall@k.
    public var recall: Double
    /// Share of queries with a relevant item in the top k.
    public var hitRate: Double

    /// Creates metrics.
    public init(k: Int, queries: Int, ndcg: Double, mrr: Double, recall: Double, hitRate: Double) {
        self.k = k
        self.queries = queries
        self.ndcg = ndcg
        self.mrr = mrr
        self.recall = recall
        self.hitRate = hitRate
    }
}

/// Ranking metrics for search and recommendation (relevance > 0 counts as relevant).
public enum Ranking {
    /// Means over queries of NDCG@k, MRR, recall@k and hit rate@k.
    public static func evaluate(_ queries: [RankedQuery], k: Int = 10) throws(StatsError) -> RankingMetrics {
        if queries.isEmpty { throw .empty("queries") }
        var n = 0.0
        var m = 0.0
        var r = 0.0
        var h = 0.0
        for q in queries {
            n += try ndcg(q, k: k)
            m += try reciprocalRank(q)
            r += try recall(q, k: k)
            h += try hit(q, k: k)
        }
        let c = Double(queries.count)
        return RankingMetrics(k: k, queries: queries.count, ndcg: n / c, mrr: m / c, recall: r / c, hitRate: h / c)
    }

    /// NDCG@k as scikit-learn `ndcg_score` (linear gain, log2 discount, tied scores share their gain on average).
    public static func ndcg(_ q: RankedQuery, k: Int = 10) throws(StatsError) -> Double {
        try check(q, k)
        let n = q.relevance.count
        var discount = (0..<n).map { i in 1 / (LibM.log(Double(i) + 2) / LibM.log(2)) }
        for i in min(k, n)..<n { discount[i] = 0 }
        // Ideal DCG: relevance sorted descending, no ties to handle.
        let ideal = q.relevance.sorted(by: >)
        var idcg = 0.0
        for i in 0..<n { idcg += discount[i] * ideal[i] }
        if idcg == 0 { return 0 }
        // Tie-averaged DCG (McSherry & Najork), as sklearn's _tie_averaged_dcg.
        var cumulative = [Double](repeating: 0, count: n)
        var running = 0.0
        for i in 0..<n {
            running += discount[i]
            cumulative[i] = running
        }
        let order = q.scores.indices.sorted { q.scores[$0] > q.scores[$1] }
        var dcg = 0.0
        var start = 0
        var previousCumulative = 0.0
        while start < n {
            var end = start
            while end + 1 < n && q.scores[order[end + 1]] == q.scores[order[start]] { end += 1 }
            var gain = 0.0
            for i in start...end { gain += q.relevance[order[i]] }
            gain /= Double(end - start + 1)
            let discountSum = cumulative[end] - (start == 0 ? 0 : previousCumulative)
            dcg += gain * (start == 0 ? cumulative[end] : discountSum)
            previousCumulative = cumulative[end]
            start = end + 1
        }
        return dcg / idcg
    }

    /// 1 / rank of the first item with relevance > 0 (0 when none); ties keep input order.
    public static func reciprocalRank(_ q: RankedQuery) throws(StatsError) -> Double {
        try check(q, 1)
        for (rank, i) in stableOrder(q).enumerated() where q.relevance[i] > 0 { return 1 / Double(rank + 1) }
        return 0
    }

    /// Share of the relevant items (relevance > 0) found in the top k (0 when there are none).
    public static func recall(_ q: RankedQuery, k: Int = 10) throws(StatsError) -> Double {
        try check(q, k)
        let total = q.relevance.filter { $0 > 0 }.count
        if total == 0 { return 0 }
        let found = stableOrder(q).prefix(k).filter { q.relevance[$0] > 0 }.count
        return Double(found) / Double(total)
    }

    /// 1 when a relevant item is in the top k, else 0.
    public static func hit(_ q: RankedQuery, k: Int = 10) throws(StatsError) -> Double {
        try check(q, k)
        return stableOrder(q).prefix(k).contains { q.relevance[$0] > 0 } ? 1 : 0
    }

    /// Indices by descending score, ties in input order (NumPy `argsort(-scores, kind="stable")`).
    private static func stableOrder(_ q: RankedQuery) -> [Int] {
        q.scores.indices.sorted { a, b in
            let sa = -q.scores[a]
            let sb = -q.scores[b]
            return sa < sb || (sa == sb && a < b)
        }
    }

    private static func check(_ q: RankedQuery, _ k: Int) throws(StatsError) {
        guard k >= 1 else { throw .invalidArgument("k", "must be at least 1, got \(k)") }
        guard q.relevance.count == q.scores.count else {
            throw .lengthMismatch("scores (one per judged item)", expected: q.relevance.count, actual: q.scores.count)
        }
        if q.relevance.isEmpty { throw .empty("query items") }
        for (i, s) in q.scores.enumerated() where !s.isFinite { throw .nonFinite("scores", index: i, value: s) }
        for (i, r) in q.relevance.enumerated() where !r.isFinite { throw .nonFinite("relevance", index: i, value: r) }
    }
}
