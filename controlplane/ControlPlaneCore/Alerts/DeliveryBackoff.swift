/// Exponential backoff between delivery attempts: `initial × multiplier^(attempt−1)`, capped at `maximum`.
public struct DeliveryBackoff: Sendable, Equatable {
    /// Delay after the first failed attempt, in seconds.
    public var initialSeconds: Double
    /// Growth factor per attempt.
    public var multiplier: Double
    /// Upper bound of the delay, in seconds.
    public var maximumSeconds: Double

    /// Creates a backoff (defaults: 2 s, doubling, at most 5 min).
    public init(initialSeconds: Double = 2, multiplier: Double = 2, maximumSeconds: Double = 300) {
        self.initialSeconds = initialSeconds
        self.multiplier = multiplier
        self.maximumSeconds = maximumSeconds
    }

    /// Seconds to wait after `attempts` failed attempts (1 for the first failure).
    public func delay(afterAttempts attempts: Int) -> Double {
        guard attempts > 0 else { return 0 }
        var delay = initialSeconds
        for _ in 1..<attempts {
            delay *= multiplier
            if delay >= maximumSeconds { return maximumSeconds }
        }
        return min(delay, maximumSeconds)
    }
}
