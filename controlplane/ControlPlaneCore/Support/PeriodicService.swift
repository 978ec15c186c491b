import Logging
import ServiceLifecycle

/// Runs one round of work every `interval` until the task is cancelled or the service group shuts down gracefully.
///
/// `prepare` runs once first (restoring state; its error ends the service). A round's own errors are its business:
/// it should log them so that the next round retries. A shutdown during a sleep ends the loop without another round;
/// a round in progress when shutdown begins is cancelled.
public struct PeriodicService<C: Clock>: Service where C.Duration == Duration {
    /// When the first round runs.
    public enum FirstRound: Sendable {
        /// Right after `prepare`.
        case immediately
        /// One `interval` after `prepare` (e.g. when a round covers the interval that just ended).
        case afterInterval
    }

    private let interval: Duration
    private let clock: C
    private let firstRound: FirstRound
    private let prepare: @Sendable () async throws -> Void
    private let round: @Sendable () async -> Void

    /// Creates the service; nothing runs until `run()`.
    public init(
        interval: Duration, clock: C, firstRound: FirstRound = .immediately,
        prepare: @escaping @Sendable () async throws -> Void = {},
        round: @escaping @Sendable () async -> Void
    ) {
        self.interval = interval
        self.clock = clock
        self.firstRound = firstRound
        self.prepare = prepare
        self.round = round
    }

    /// Prepares, then runs a round per interval until cancellation or graceful shutdown.
    public func run() async throws {
        try await prepare()
        await cancelWhenGracefulShutdown {
            var wait = firstRound == .afterInterval
            while !Task.isCancelled {
                if wait {
                    try? await clock.sleep(for: interval)
                    guard !Task.isCancelled else { break }
                }
                wait = true
                await round()
            }
        }
    }
}

extension PeriodicService {
    /// A round running `body` that logs `failure` with the error when it throws (the next round retries).
    public static func loggingErrors(
        _ logger: Logger, _ failure: Logger.Message, _ body: @escaping @Sendable () async throws -> Void
    ) -> @Sendable () async -> Void {
        {
            do {
                try await body()
            } catch {
                logger.error(failure, metadata: ["error": "\(error)"])
            }
        }
    }
}
