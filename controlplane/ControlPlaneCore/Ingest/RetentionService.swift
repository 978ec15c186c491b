import Logging
import ServiceLifecycle

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Deletes raw reports and rollups past their retention, every `interval`.
public struct RetentionService<C: Clock>: Service where C.Duration == Duration {
    let store: any ReportStore
    let configuration: IngestConfiguration
    let wallClock: WallClock
    let clock: C
    let interval: Duration
    let logger: Logger

    /// Creates the service.
    public init(
        store: any ReportStore, configuration: IngestConfiguration, wallClock: WallClock = .system, clock: C,
        interval: Duration = .seconds(600), logger: Logger
    ) {
        self.store = store
        self.configuration = configuration
        self.wallClock = wallClock
        self.clock = clock
        self.interval = interval
        self.logger = logger
    }

    /// Prunes once now.
    public func pruneOnce() async throws -> (reports: Int, rollups: Int) {
        let now = wallClock.now()
        let reports = try await store.pruneReports(receivedBefore: now.addingTimeInterval(-configuration.reportRetention))
        let rollups = try await store.pruneRollups(before: now.addingTimeInterval(-configuration.rollupRetention))
        return (reports, rollups)
    }

    /// Prunes every interval until graceful shutdown.
    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let (reports, rollups) = try await pruneOnce()
                if reports + rollups > 0 {
                    logger.info("pruned expired data", metadata: ["reports": "\(reports)", "rollups": "\(rollups)"])
                }
            } catch {
                logger.error("retention pass failed", metadata: ["error": "\(error)"])
            }
            do {
                try await gracefulShutdownSleep(for: interval)
            } catch {
                return
            }
        }
    }

    private func gracefulShutdownSleep(for duration: Duration) async throws {
        try await cancelWhenGracefulShutdown { try await clock.sleep(for: duration) }
    }
}
