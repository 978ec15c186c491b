/// Two-sided tabular CUSUM on standardized observations z = (x − μ0)/σ.
///
/// S⁺ = max(0, S⁺ + z − k), S⁻ = max(0, S⁻ − z − k); alarm when either exceeds h. Defaults k = 0.5, h = 5:
/// in-control average run length (ARL0) ≈ 465 observations between false alarms for normal data, and a
/// shift of one σ is detected after ≈ 10 observations on average (Montgomery, *Statistical Quality Control*).
public struct CUSUMDetector: SequentialDetector, Hashable, Codable {
    /// Slack in σ units (half the shift to detect).
    public let k: Double
    /// Decision threshold in σ units.
    public let h: Double
    /// The in-control mean and σ.
    public private(set) var baseline: Baseline
    /// Upper cumulative sum.
    public private(set) var upper = 0.0
    /// Lower cumulative sum.
    public private(set) var lower = 0.0

    /// Creates a detector; the baseline is learnt from the first 50 observations unless given.
    public init(baseline: Baseline = Baseline(), k: Double = 0.5, h: Double = 5) {
        self.baseline = baseline
        self.k = k
        self.h = h
    }

    /// Takes one observation.
    public mutating func observe(_ x: Double) -> DetectorVerdict {
        guard x.isFinite else { return baseline.known == nil ? .warmingUp : .inControl }
        guard let (mu, sigma) = baseline.known else {
            _ = baseline.learn(x)
            return .warmingUp
        }
        let z = (x - mu) / sigma
        upper = max(0, upper + z - k)
        lower = max(0, lower - z - k)
        if upper > h || lower > h {
            let direction: ChangeDirection = upper > h ? .up : .down
            upper = 0
            lower = 0
            return .alarm(direction)
        }
        return .inControl
    }
}
