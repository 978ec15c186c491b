import DroverAPI
import DroverStats

/// Scores fleet drift with DroverStats: PSI, JS distance and chi-square on the merged counts, then the
/// drift policy's verdicts with Benjamini–Hochberg control across the group's features.
public struct DroverStatsDriftScorer: FleetDriftScorer {
    /// The thresholds and test settings.
    public var policy: DriftPolicy

    /// Creates a scorer with `policy` (default: DroverStats' documented defaults).
    public init(policy: DriftPolicy = .default) { self.policy = policy }

    /// Scores all inputs together.
    public func score(_ inputs: [DriftInput]) -> [DriftScore?] {
        var comparisons: [CountComparison?] = []
        var evidence: [DriftEvidence] = []
        var index: [Int] = []
        for (i, input) in inputs.enumerated() {
            if let c = try? DriftStatistics.compare(reference: input.reference, current: input.observed) {
                comparisons.append(c)
                evidence.append(DriftEvidence(name: input.name, counts: c))
                index.append(i)
            } else {
                comparisons.append(nil)
            }
        }
        let assessments = policy.assess(evidence)
        var out = [DriftScore?](repeating: nil, count: inputs.count)
        for (k, i) in index.enumerated() {
            guard let c = comparisons[i] else { continue }
            let a = assessments[k]
            out[i] = DriftScore(
                psi: c.psi, jsDistance: c.jsDistance, chiSquare: c.chiSquare.statistic, pValue: c.chiSquare.pValue,
                adjustedPValue: a.adjustedPValue, verdict: DriftVerdict(rawValue: a.level.rawValue) ?? .insufficientData,
                reason: a.reason)
        }
        return out
    }
}
