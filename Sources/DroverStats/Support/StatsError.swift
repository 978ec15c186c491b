/// Why a statistic could not be computed; the message says what to fix in the input.
public struct StatsError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case nonFinite(what: String, index: Int, value: Double)
        case empty(what: String)
        case lengthMismatch(what: String, expected: Int, actual: Int)
        case invalidArgument(name: String, reason: String)
        case incompatible(reason: String)
    }

    private let code: Code

    private init(_ code: Code) { self.code = code }

    /// A value is NaN or infinite; statistics never silently drop such values.
    public static func nonFinite(_ what: String, index: Int, value: Double) -> StatsError {
        StatsError(.nonFinite(what: what, index: index, value: value))
    }

    /// A sample or count vector has nothing in it.
    public static func empty(_ what: String) -> StatsError { StatsError(.empty(what: what)) }

    /// Two inputs that must line up do not.
    public static func lengthMismatch(_ what: String, expected: Int, actual: Int) -> StatsError {
        StatsError(.lengthMismatch(what: what, expected: expected, actual: actual))
    }

    /// A parameter is out of its domain.
    public static func invalidArgument(_ name: String, _ reason: String) -> StatsError {
        StatsError(.invalidArgument(name: name, reason: reason))
    }

    /// Two summaries cannot be merged or compared (different bins, categories or dimensions).
    public static func incompatible(_ reason: String) -> StatsError { StatsError(.incompatible(reason: reason)) }

    /// True when the error is about a NaN or infinite input value.
    public var isNonFinite: Bool {
        if case .nonFinite = code { return true }
        return false
    }

    /// True when the error is about an empty input.
    public var isEmpty: Bool {
        if case .empty = code { return true }
        return false
    }

    /// A sentence saying what is wrong and what to do.
    public var description: String {
        switch code {
        case .nonFinite(let what, let index, let value):
            return
                "\(what) has a non-finite value (\(value)) at index \(index); remove or impute NaN/Inf before computing statistics"
        case .empty(let what):
            return "\(what) is empty; at least one value is needed"
        case .lengthMismatch(let what, let expected, let actual):
            return "\(what): expected \(expected) entries, got \(actual); the inputs must have the same length"
        case .invalidArgument(let name, let reason):
            return "invalid \(name): \(reason)"
        case .incompatible(let reason):
            return "incompatible summaries: \(reason)"
        }
    }
}

@inline(__always)
func requireFinite(_ values: UnsafeBufferPointer<Double>, _ what: String) throws(StatsError) {
    // Fast path: x - x is 0 for finite x and NaN otherwise; one pass, no branches in the loop.
    var acc = 0.0
    for x in values { acc += x - x }
    if acc == 0 { return }
    for (i, x) in values.enumerated() where !x.isFinite { throw .nonFinite(what, index: i, value: x) }
}
