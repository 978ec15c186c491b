/// Page–Hinkley test for a change in the mean, two-sided, on standardized observations z = (x − μ0)/σ.
///
/// m⁺ₜ = Σ (zᵢ − δ), alarm up when m⁺ₜ − min m⁺ > λ; symmetrically down. Defaults δ = 0.5, λ = 5 (σ units, the
/// same allowance as CUSUM's k and h, so the false-alarm rate is of the same order: measured ARL0 ≈ 400 on N(0,1)
/// — see docs/statistics.md). Unlike CUSUM, it needs no reset threshold tuning when the mean drifts slowly.
public struct PageHinkleyDetector: SequentialDetector, Hashable, Codable {
    /// Allowed deviation per observation, in σ units.
    public let delta: Double
    /// Alarm threshold, in σ units.
    public let lambda: Double
    /// The in-control mean and σ.
    public private(set) var baseline: Baseline
    private var up = 0.0
    private var upMin = 0.0
    private var down = 0.0
    private var downMax = 0.0

    /// Creates a detector; the baseline is learnt from the first 50 observations unless given.
    public init(baseline: Baseline = Baseline(), delta: Double = 0.5, lambda: Double = 5) {
        self.baseline = baseline
        self.delta = delta
        self.lambda = lambda
    }

    /// Takes one observation.
    public mutating func observe(_ x: Double) -> DetectorVerdict {
        guard x.isFinite else { return baseline.known == nil ? .warmingUp : .inControl }
        guard let (mu, sigma) = baseline.known else {
            _ = baseline.learn(x)
            return .warmingUp
        }
        let z = (x - mu) / sigma
        up += z - delta
        upMin = min(upMin, up)
        down += z + delta
        downMax = max(downMax, down)
        if up - upMin > lambda || downMax - down > lambda {
            let direction: ChangeDirection = up - upMin > lambda ? .up : .down
            up = 0
            upMin = 0
            down = 0
            downMax = 0
            return .alarm(direction)
        }
        return .inControl
    }
}
