/// Page–Hinkley test for a change in the mean, two-sided, against the running mean of the stream.
///
/// zₜ = (xₜ − x̄ₜ)/σ with x̄ₜ the running mean since the last alarm (seeded with the baseline mean, weighted as
/// 30 observations); m⁺ₜ = Σ (zᵢ − δ), alarm up when m⁺ₜ − min m⁺ > λ; symmetrically down. Defaults δ = 0.5,
/// λ = 5 (σ units). Measured on N(0, 1): in-control ARL0 ≈ 480 observations; mean delay ≈ 66 / 10 / 3.7
/// observations for shifts of 0.5 / 1 / 2 σ (docs/statistics.md). Unlike CUSUM it follows a slowly moving level.
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
    private var runningMean: Double?
    private var seen = 0.0

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
        // The reference level is the running mean since the last alarm, seeded with the baseline mean.
        var mean = runningMean ?? mu
        if runningMean == nil { seen = Double(max(30, baseline.warmup)) }
        seen += 1
        mean += (x - mean) / seen
        runningMean = mean
        let z = (x - mean) / sigma
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
            runningMean = nil
            return .alarm(direction)
        }
        return .inControl
    }
}
