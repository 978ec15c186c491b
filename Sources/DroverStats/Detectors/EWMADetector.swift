/// EWMA control chart: zₜ = λxₜ + (1 − λ)zₜ₋₁, alarm when |zₜ − μ0| > L·σ·√(λ/(2−λ)·(1 − (1−λ)^{2t})).
///
/// Defaults λ = 0.2, L = 3: in-control ARL0 ≈ 562 observations for normal data (Lucas & Saccucci 1990),
/// and good sensitivity to shifts of 0.5–1 σ.
public struct EWMADetector: SequentialDetector, Hashable, Codable {
    /// Smoothing weight of the newest observation.
    public let lambda: Double
    /// Width of the control limits in σ units of the EWMA statistic.
    public let width: Double
    /// The in-control mean and σ.
    public private(set) var baseline: Baseline
    /// The current EWMA value (nil before the baseline is known).
    public private(set) var value: Double?
    private var steps = 0

    /// Creates a detector; the baseline is learnt from the first 50 observations unless given.
    public init(baseline: Baseline = Baseline(), lambda: Double = 0.2, width: Double = 3) {
        self.baseline = baseline
        self.lambda = lambda
        self.width = width
    }

    /// Takes one observation.
    public mutating func observe(_ x: Double) -> DetectorVerdict {
        guard x.isFinite else { return baseline.known == nil ? .warmingUp : .inControl }
        guard let (mu, sigma) = baseline.known else {
            _ = baseline.learn(x)
            return .warmingUp
        }
        steps += 1
        let z = lambda * x + (1 - lambda) * (value ?? mu)
        value = z
        let decay = 1 - LibM.pow(1 - lambda, 2 * Double(steps))
        let limit = width * sigma * (lambda / (2 - lambda) * decay).squareRoot()
        if abs(z - mu) > limit {
            value = nil
            steps = 0
            return .alarm(z > mu ? .up : .down)
        }
        return .inControl
    }
}
