import Logging
import ServiceLifecycle

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Supplies the current fleet-health observations for an evaluation round.
public protocol AlertObservationSource: Sendable {
    /// The observations as of `now` (e.g. fleet health over the last few minutes).
    func observations(at now: Date) async throws -> [AlertObservation]
}

/// An observation source backed by a closure (adapters, tests).
public struct ClosureAlertObservationSource: AlertObservationSource {
    private let body: @Sendable (Date) async throws -> [AlertObservation]

    /// Wraps a closure.
    public init(_ body: @escaping @Sendable (Date) async throws -> [AlertObservation]) { self.body = body }

    /// Calls the closure.
    public func observations(at now: Date) async throws -> [AlertObservation] { try await body(now) }
}

/// Evaluates the alert rules every `interval` over observations from a source.
public struct AlertEvaluationService<C: Clock>: Service where C.Duration == Duration {
    private let round: @Sendable () async -> Void
    private let periodic: PeriodicService<C>

    /// Creates the service (default interval: 30 s).
    public init(
        engine: AlertEngine, source: any AlertObservationSource, interval: Duration = .seconds(30), clock: C,
        wallClock: WallClock = .system, logger: Logger
    ) {
        let round = PeriodicService<C>.loggingErrors(logger, "alert evaluation failed") {
            let at = wallClock.now()
            try await engine.evaluate(try await source.observations(at: at), at: at)
        }
        self.round = round
        periodic = PeriodicService(
            interval: interval, clock: clock, firstRound: .immediately,
            prepare: { try await engine.start(at: wallClock.now()) }, round: round)
    }

    /// Starts the engine, then evaluates at once and every interval until shutdown.
    public func run() async throws { try await periodic.run() }

    /// One round: read observations and evaluate them (errors are logged, the next round retries).
    public func evaluateOnce() async { await round() }
}
