/// The verdict for one feature: no drift, worth a look, drift, or too little data to say.
public enum DriftLevel: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// No meaningful drift.
    case ok
    /// A practical effect with weak evidence, or evidence with a moderate effect.
    case warn
    /// Statistically significant (after Benjamini–Hochberg) and practically large.
    case drift
    /// Fewer values than `DriftPolicy.minSampleSize` on one side.
    case insufficientData = "insufficient_data"

    private var rank: Int {
        switch self {
        case .insufficientData: return 0
        case .ok: return 1
        case .warn: return 2
        case .drift: return 3
        }
    }

    /// Orders by severity: insufficient data < ok < warn < drift.
    public static func < (lhs: DriftLevel, rhs: DriftLevel) -> Bool { lhs.rank < rhs.rank }
}

/// What is known about one feature's drift: sizes, effect sizes and the p-value of its test.
public struct DriftEvidence: Sendable, Hashable, Codable {
    /// Feature name.
    public var name: String
    /// Values on the reference side.
    public var nReference: Int
    /// Values on the current side.
    public var nCurrent: Int
    /// Population stability index (effect size).
    public var psi: Double
    /// Kolmogorov–Smirnov D when raw numeric samples were compared (effect size).
    public var ksStatistic: Double?
    /// Unadjusted p-value of the feature's test (KS, or chi-square on counts); nil when there is no test.
    public var pValue: Double?

    /// Creates evidence from its parts.
    public init(name: String, nReference: Int, nCurrent: Int, psi: Double, ksStatistic: Double? = nil, pValue: Double?)
    {
        self.name = name
        self.nReference = nReference
        self.nCurrent = nCurrent
        self.psi = psi
        self.ksStatistic = ksStatistic
        self.pValue = pValue
    }

    /// Evidence from counts (agents' or fleet sums): PSI and the chi-square p-value over the bins or categories.
    public init(name: String, counts: CountComparison) {
        self.init(
            name: name, nReference: counts.nReference, nCurrent: counts.nCurrent, psi: counts.psi,
            pValue: counts.chiSquare.pValue)
    }

    /// Evidence from raw numeric samples: PSI over the quantile bins, KS statistic and KS p-value.
    public init(name: String, samples: SampleComparison) {
        self.init(
            name: name, nReference: samples.counts.nReference, nCurrent: samples.counts.nCurrent,
            psi: samples.counts.psi,
            ksStatistic: samples.ks.statistic, pValue: samples.ks.pValue
        )
    }
}

/// The verdict on one feature and why.
public struct DriftAssessment: Sendable, Hashable, Codable {
    /// Feature name.
    public var name: String
    /// The verdict.
    public var level: DriftLevel
    /// Benjamini–Hochberg adjusted p-value (q-value) across the features assessed together.
    public var adjustedPValue: Double?
    /// A short human explanation, e.g. "PSI 0.28 ≥ 0.2 and q 1e-9 < 0.05".
    public var reason: String

    /// Creates an assessment.
    public init(name: String, level: DriftLevel, adjustedPValue: Double?, reason: String) {
        self.name = name
        self.level = level
        self.adjustedPValue = adjustedPValue
        self.reason = reason
    }
}

/// Turns evidence into verdicts: significance (BH across features) AND a practical effect size, never p alone.
///
/// | significant (q < alpha) | effect ≥ drift threshold | effect ≥ warn threshold | verdict |
/// |---|---|---|---|
/// | yes | yes | – | drift |
/// | yes | no | yes | warn |
/// | no | yes | – | warn |
/// | otherwise | | | ok |
///
/// The effect is PSI (and, when raw samples were compared, KS D). Either side below `minSampleSize` gives
/// `insufficient_data`. Evidence without a p-value counts as significant, so it is judged on effect size alone.
public struct DriftPolicy: Sendable, Hashable, Codable {
    /// PSI at which a feature is worth a warning (default 0.1).
    public var psiWarn: Double
    /// PSI at which a significant feature is drift (default 0.2).
    public var psiDrift: Double
    /// KS D at which a feature is worth a warning (default 0.1).
    public var ksWarn: Double
    /// KS D at which a significant feature is drift (default 0.2).
    public var ksDrift: Double
    /// False discovery rate for the tests across features (default 0.05).
    public var alpha: Double
    /// Minimum values per side; below it the verdict is `insufficient_data` (default 100).
    public var minSampleSize: Int
    /// Whether p-values are adjusted with Benjamini–Hochberg across the features assessed together (default true).
    public var controlFalseDiscoveries: Bool

    /// The documented defaults (PSI 0.1 / 0.2, KS D 0.1 / 0.2, alpha 0.05, 100 values per side, BH on).
    public init(
        psiWarn: Double = 0.1, psiDrift: Double = 0.2, ksWarn: Double = 0.1, ksDrift: Double = 0.2,
        alpha: Double = 0.05,
        minSampleSize: Int = 100, controlFalseDiscoveries: Bool = true
    ) {
        self.psiWarn = psiWarn
        self.psiDrift = psiDrift
        self.ksWarn = ksWarn
        self.ksDrift = ksDrift
        self.alpha = alpha
        self.minSampleSize = minSampleSize
        self.controlFalseDiscoveries = controlFalseDiscoveries
    }

    /// The defaults.
    public static let `default` = DriftPolicy()

    /// Assesses features together: BH adjustment over the features with enough data, then the verdict table.
    public func assess(_ features: [DriftEvidence]) -> [DriftAssessment] {
        var tested: [Int] = []
        var pValues: [Double] = []
        for (i, f) in features.enumerated() where hasEnoughData(f) {
            if let p = f.pValue {
                tested.append(i)
                pValues.append(p)
            }
        }
        let adjusted = controlFalseDiscoveries ? MultipleTesting.benjaminiHochberg(pValues) : pValues
        var q = [Double?](repeating: nil, count: features.count)
        for (k, i) in tested.enumerated() { q[i] = adjusted[k] }
        return features.indices.map { verdict(features[$0], adjustedPValue: q[$0]) }
    }

    /// Assesses one feature on its own (no multiplicity adjustment).
    public func assess(_ feature: DriftEvidence) -> DriftAssessment {
        verdict(feature, adjustedPValue: hasEnoughData(feature) ? feature.pValue : nil)
    }

    private func hasEnoughData(_ f: DriftEvidence) -> Bool {
        f.nReference >= minSampleSize && f.nCurrent >= minSampleSize
    }

    private func verdict(_ f: DriftEvidence, adjustedPValue q: Double?) -> DriftAssessment {
        guard hasEnoughData(f) else {
            return DriftAssessment(
                name: f.name, level: .insufficientData, adjustedPValue: nil,
                reason:
                    "\(f.nReference) reference and \(f.nCurrent) current values; at least \(minSampleSize) per side are needed"
            )
        }
        let significant = q.map { $0 < alpha } ?? true
        let ks = f.ksStatistic ?? 0
        let strong = f.psi >= psiDrift || ks >= ksDrift
        let moderate = f.psi >= psiWarn || ks >= ksWarn
        var effect = "PSI \(short(f.psi))"
        if let d = f.ksStatistic { effect += ", KS D \(short(d))" }
        let evidence = q.map { "q \(short($0))" } ?? "no test"
        let level: DriftLevel
        if significant && strong {
            level = .drift
        } else if (significant && moderate) || strong {
            level = .warn
        } else {
            level = .ok
        }
        let reason: String
        switch level {
        case .drift: reason = "\(effect) over the drift threshold and \(evidence) < \(short(alpha))"
        case .warn:
            reason =
                significant
                ? "\(effect) over the warn threshold, \(evidence)" : "\(effect) large but not significant (\(evidence))"
        default:
            reason =
                significant && q != nil
                ? "\(evidence) significant but the effect (\(effect)) is small" : "\(effect), \(evidence)"
        }
        return DriftAssessment(name: f.name, level: level, adjustedPValue: q, reason: reason)
    }

    private func short(_ x: Double) -> String {
        if x == 0 || !x.isFinite { return "\(x)" }
        if abs(x) >= 1e-3 && abs(x) < 1e4 { return "\((x * 1000).rounded() / 1000)" }
        var exponent = 0
        var m = abs(x)
        while m >= 10 {
            m /= 10
            exponent += 1
        }
        while m < 1 {
            m *= 10
            exponent -= 1
        }
        return "\(x < 0 ? "-" : "")\((m * 100).rounded() / 100)e\(exponent)"
    }
}

/// Multiple-testing corrections.
public enum MultipleTesting {
    /// Benjamini–Hochberg adjusted p-values (q-values), in the input order; equals statsmodels `fdr_bh`.
    public static func benjaminiHochberg(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        guard m > 0 else { return [] }
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var adjusted = [Double](repeating: 1, count: m)
        var running = 1.0
        for rank in stride(from: m, through: 1, by: -1) {
            let i = order[rank - 1]
            running = min(running, pValues[i] * Double(m) / Double(rank))
            adjusted[i] = min(1, running)
        }
        return adjusted
    }
}
