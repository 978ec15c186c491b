import DroverAPI
import DroverStats

/// The production statistics: DroverStats' PSI, Jensen–Shannon, chi-square with Benjamini–Hochberg across
/// features, the documented drift policy, and its classification and ranking metrics.
public struct DroverStatsStatistics: AgentStatistics {
    /// Thresholds and sample-size floor of verdicts.
    public var policy: DriftPolicy

    /// Creates the statistics with a drift policy (default: PSI 0.1 / 0.2, alpha 0.05, 100 values per side).
    public init(policy: DriftPolicy = .default) { self.policy = policy }

    /// Compares each input's counts with its reference counts; verdicts are assessed together.
    public func drift(_ inputs: [DriftInput]) -> [FeatureDrift] {
        var entries: [FeatureDrift] = []
        var evidence: [DriftEvidence] = []
        var assessed: [Int] = []
        for input in inputs {
            let p = input.profile
            var entry = FeatureDrift(name: p.name, kind: p.kind, n: input.counts.total, counts: input.counts, verdict: .insufficientData)
            let current: [Int]
            switch input.counts {
            case .bins(let bins): current = bins
            case .categories(let map):
                current = (p.categories ?? []).map { map[$0] ?? 0 } + [map[DriftCounts.otherCategory] ?? 0]
            }
            if let reference = p.counts, reference.count == current.count,
               let comparison = try? DriftStatistics.compare(reference: reference, current: current) {
                entry.psi = comparison.psi
                entry.jsDistance = comparison.jsDistance
                entry.chiSquare = comparison.chiSquare.statistic
                entry.pValue = comparison.chiSquare.pValue
                assessed.append(entries.count)
                evidence.append(DriftEvidence(name: p.name, counts: comparison))
            }
            entries.append(entry)
        }
        for (index, assessment) in zip(assessed, policy.assess(evidence)) {
            entries[index].verdict = DriftVerdict(rawValue: assessment.level.rawValue) ?? .insufficientData
        }
        return entries
    }

    /// `accuracy`, `precision`, `recall`, `f1`, `roc_auc`, `log_loss` (scores clamped to [0, 1]).
    public func classification(scores: [Double], labels: [Double]) -> [String: Double] {
        let clamped = scores.map { min(1, max(0, $0)) }
        guard let m = try? Classification.evaluate(labels: labels.map { $0 > 0 }, scores: clamped) else { return [:] }
        var out = ["accuracy": m.accuracy, "precision": m.precision, "recall": m.recall, "f1": m.f1, "log_loss": m.logLoss]
        if let auc = m.rocAUC { out["roc_auc"] = auc }
        return out
    }

    /// `ndcg_at_k`, `mrr`, `recall_at_k`, `hit_rate_at_k`.
    public func ranking(queries: [RankedQuery], k: Int) -> [String: Double] {
        let converted = queries.map { DroverStats.RankedQuery(relevance: $0.relevances, scores: $0.scores) }
        guard let m = try? Ranking.evaluate(converted, k: k) else { return [:] }
        return ["ndcg_at_\(k)": m.ndcg, "mrr": m.mrr, "recall_at_\(k)": m.recall, "hit_rate_at_\(k)": m.hitRate]
    }
}
