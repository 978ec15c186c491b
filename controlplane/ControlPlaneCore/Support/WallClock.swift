#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The source of timestamps for services (injected so tests can fix "now").
public struct WallClock: Sendable {
    private let read: @Sendable () -> Date

    /// Creates a clock reading `now`.
    public init(_ now: @escaping @Sendable () -> Date) { self.read = now }

    /// The current time.
    public func now() -> Date { read() }

    /// The system clock.
    public static let system = WallClock { Date() }

    /// A clock stuck at `date`.
    public static func fixed(_ date: Date) -> WallClock { WallClock { date } }
}
