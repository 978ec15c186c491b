/// The direction of a detected change in a metric stream.
public enum ChangeDirection: String, Sendable, Hashable, Codable {
    /// The mean went up.
    case up
    /// The mean went down.
    case down
}

/// What a sequential detector says after one observation.
public enum DetectorVerdict: Sendable, Hashable {
    /// Still estimating the in-control mean and spread from the first observations.
    case warmingUp
    /// No change detected.
    case inControl
    /// A change was detected; the detector has restarted its statistics (keeping its baseline).
    case alarm(ChangeDirection)

    /// True for `.alarm`.
    public var isAlarm: Bool {
        if case .alarm = self { return true }
        return false
    }
}

/// A pure change detector over a stream of numbers: feed it observations, act on the verdicts.
public protocol SequentialDetector: Sendable {
    /// Takes one observation (non-finite values are ignored and reported as the current state).
    mutating func observe(_ x: Double) -> DetectorVerdict
}

/// The in-control mean and standard deviation: given, or learnt from the first observations (Welford).
public struct Baseline: Sendable, Hashable, Codable {
    /// In-control mean (nil while learning).
    public private(set) var mean: Double?
    /// In-control standard deviation (nil while learning).
    public private(set) var standardDeviation: Double?
    /// Observations used to learn the baseline when it is not given.
    public let warmup: Int
    private var n = 0
    private var runningMean = 0.0
    private var m2 = 0.0

    /// A known baseline.
    public init(mean: Double, standardDeviation: Double) {
        self.mean = mean
        self.standardDeviation = standardDeviation
        warmup = 0
    }

    /// A baseline learnt from the first `warmup` observations (default 50).
    public init(warmup: Int = 50) {
        self.warmup = max(2, warmup)
    }

    /// Feeds an observation while learning; returns the (mean, σ) once known.
    mutating func learn(_ x: Double) -> (mean: Double, sigma: Double)? {
        if let mean, let standardDeviation { return (mean, standardDeviation) }
        n += 1
        let delta = x - runningMean
        runningMean += delta / Double(n)
        m2 += delta * (x - runningMean)
        if n >= warmup {
            mean = runningMean
            // A constant warm-up gives σ = 0; use a tiny positive scale so any change alarms rather than dividing by 0.
            let sd = (m2 / Double(n - 1)).squareRoot()
            standardDeviation = sd > 0 ? sd : max(abs(runningMean) * 1e-9, 1e-12)
        }
        return nil
    }

    /// The baseline once known.
    var known: (mean: Double, sigma: Double)? {
        if let mean, let standardDeviation { return (mean, standardDeviation) }
        return nil
    }
}
