import Logging
import ServiceLifecycle

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Supplies one window per watched model (e.g. fleet drift and validation over the last interval).
public protocol RetrainWindowSource: Sendable {
    /// The windows ending at `now`.
    func windows(at now: Date) async throws -> [RetrainWindow]
}

/// A window source backed by a closure (adapters, tests).
public struct ClosureRetrainWindowSource: RetrainWindowSource {
    private let body: @Sendable (Date) async throws -> [RetrainWindow]

    /// Wraps a closure.
    public init(_ body: @escaping @Sendable (Date) async throws -> [RetrainWindow]) { self.body = body }

    /// Calls the closure.
    public func windows(at now: Date) async throws -> [RetrainWindow] { try await body(now) }
}

/// Feeds the retrain coordinator one window per model every `interval` (the window length, default 5 minutes).
public struct RetrainService<C: Clock>: Service where C.Duration == Duration {
    private let round: @Sendable () async -> Void
    private let periodic: PeriodicService<C>

    /// Creates the service.
    public init(
        coordinator: RetrainCoordinator, source: any RetrainWindowSource, interval: Duration = .seconds(300), clock: C,
        wallClock: WallClock = .system, logger: Logger
    ) {
        let round = PeriodicService<C>.loggingErrors(logger, "retrain evaluation failed") {
            let now = wallClock.now()
            try await coordinator.observe(try await source.windows(at: now), at: now)
        }
        self.round = round
        // A window is the interval that just ended, so the first one is read an interval after start.
        periodic = PeriodicService(
            interval: interval, clock: clock, firstRound: .afterInterval,
            prepare: { try await coordinator.start(at: wallClock.now()) }, round: round)
    }

    /// Restores state, then evaluates one window at the end of every interval until shutdown.
    public func run() async throws { try await periodic.run() }

    /// One window: read it from the source and let the coordinator decide (errors are logged).
    public func evaluateOnce() async { await round() }
}
