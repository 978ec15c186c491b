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
    private let coordinator: RetrainCoordinator
    private let source: any RetrainWindowSource
    private let interval: Duration
    private let clock: C
    private let wallClock: WallClock
    private let logger: Logger

    /// Creates the service.
    public init(
        coordinator: RetrainCoordinator, source: any RetrainWindowSource, interval: Duration = .seconds(300), clock: C,
        wallClock: WallClock = .system, logger: Logger
    ) {
        self.coordinator = coordinator
        self.source = source
        self.interval = interval
        self.clock = clock
        self.wallClock = wallClock
        self.logger = logger
    }

    /// Restores state, then evaluates one window per interval until shutdown.
    public func run() async throws {
        try await coordinator.start(at: wallClock.now())
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await clock.sleep(for: interval)
                guard !Task.isCancelled else { break }
                await evaluateOnce()
            }
        }
    }

    /// One window: read it from the source and let the coordinator decide (errors are logged).
    public func evaluateOnce() async {
        do {
            let now = wallClock.now()
            try await coordinator.observe(try await source.windows(at: now), at: now)
        } catch {
            logger.error("retrain evaluation failed", metadata: ["error": "\(error)"])
        }
    }
}
