import Foundation

/// Offline quality and fidelity metrics used by `describe` and the tests.
public enum RankingMetrics {
    /// ROC AUC of `scores` against binary `labels` (ties share ranks); 0.5 when a class is absent.
    public static func rocAUC(scores: [Double], labels: [Bool]) -> Double {
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var ranks = [Double](repeating: 0, count: scores.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count, scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = rank }
            i = j + 1
        }
        let positives = labels.count { $0 }
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return 0.5 }
        let rankSum = labels.indices.filter { labels[$0] }.reduce(0.0) { $0 + ranks[$1] }
        return (rankSum - Double(positives) * Double(positives + 1) / 2) / (Double(positives) * Double(negatives))
    }

    /// NDCG@k of one ranked list of graded relevances (gain `2^rel - 1`); 1 when no item is relevant.
    public static func ndcg(rankedRelevance: [Int], k: Int) -> Double {
        func dcg(_ list: [Int]) -> Double {
            list.prefix(k).enumerated().reduce(0.0) { sum, pair in
                sum + (Foundation.pow(2, Double(pair.element)) - 1) / Foundation.log2(Double(pair.offset) + 2)
            }
        }
        let ideal = dcg(rankedRelevance.sorted(by: >))
        return ideal > 0 ? dcg(rankedRelevance) / ideal : 1
    }

    /// The share of the top-k item indices by `a` that are also in the top-k by `b`.
    public static func topKOverlap(_ a: [Double], _ b: [Double], k: Int) -> Double {
        let n = min(k, a.count)
        guard n > 0 else { return 1 }
        let topA = Set(a.indices.sorted { (a[$0], -$0) > (a[$1], -$1) }.prefix(n))
        let topB = Set(b.indices.sorted { (b[$0], -$0) > (b[$1], -$1) }.prefix(n))
        return Double(topA.intersection(topB).count) / Double(n)
    }
}
