/// Exponential backoff with full jitter, as a pure value: the caller supplies the random number.
///
/// The n-th consecutive failure waits a uniformly jittered delay in `[base/2, base]`, where
/// `base = min(max, initial * 2^(n-1))`; a success resets it.
public struct Backoff: Sendable, Equatable {
    /// First retry delay.
    public var initial: Duration
    /// Largest retry delay.
    public var maximum: Duration
    /// Consecutive failures so far.
    public private(set) var failures: Int = 0

    /// Creates a backoff.
    public init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = max(initial, maximum)
    }

    /// Records a failure and returns how long to wait; `unit` is a random number in `[0, 1)`.
    public mutating func fail(unit: Double) -> Duration {
        failures += 1
        let base = ceiling
        let fraction = 0.5 + 0.5 * Swift.min(Swift.max(unit, 0), 1)
        return .milliseconds(Swift.max(1, Int64((Double(base.milliseconds) * fraction).rounded())))
    }

    /// The un-jittered delay for the current failure count.
    public var ceiling: Duration {
        guard failures > 0 else { return .zero }
        let initialMs = Double(initial.milliseconds)
        let exponent = Double(Swift.min(failures - 1, 40))
        let ms = Swift.min(Double(maximum.milliseconds), initialMs * pow2(exponent))
        return .milliseconds(Int64(ms))
    }

    /// Records a success: the next failure starts from `initial` again.
    public mutating func succeed() { failures = 0 }

    private func pow2(_ e: Double) -> Double {
        var r = 1.0
        var i = 0.0
        while i < e { r *= 2; i += 1 }
        return r
    }
}
