import CoreMetrics
import DroverAPI
import Logging
import ServiceLifecycle

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Runs `body` until graceful shutdown or cancellation; a cancellation ends it quietly.
func untilShutdown(_ body: @escaping @Sendable () async throws -> Void) async throws {
    do {
        try await cancelWhenGracefulShutdown { try await body() }
    } catch is CancellationError {
        return
    }
}

/// Liveness and readiness every `probes.interval`; feeds the guard and performs its failover.
public struct ProbeService<C: Clock>: Service where C.Duration == Duration, C.Instant: Sendable {
    let runtime: AgentRuntime<C>

    /// Creates the service.
    public init(runtime: AgentRuntime<C>) { self.runtime = runtime }

    /// Probes until shutdown.
    public func run() async throws {
        try await untilShutdown {
            await runtime.discoverServedVersion()
            while !Task.isCancelled {
                let health = await runtime.deps.adapter.health()
                let action = await runtime.recordProbe(health)
                if action != .none { await runtime.perform(action) }
                await runtime.discoverServedVersion()
                try await runtime.deps.clock.sleep(for: runtime.config.probes.interval)
            }
        }
    }
}

/// Sends golden-set batches as real inference requests every `probes.golden_interval`.
public struct GoldenService<C: Clock>: Service where C.Duration == Duration, C.Instant: Sendable {
    let runtime: AgentRuntime<C>
    let golden: GoldenSet

    /// Creates the service.
    public init(runtime: AgentRuntime<C>, golden: GoldenSet) {
        self.runtime = runtime
        self.golden = golden
    }

    /// Sends batches until shutdown.
    public func run() async throws {
        try await untilShutdown {
            var cursor = 0
            while !Task.isCancelled {
                let (records, next) = golden.batch(from: cursor, size: runtime.config.probes.goldenBatch)
                cursor = next
                let started = ContinuousClock.now
                let result: Result<[[Double]], AdapterError>
                do throws(AdapterError) {
                    result = .success(try await runtime.deps.adapter.infer(records.map(\.features)))
                } catch {
                    result = .failure(error)
                }
                let elapsed = ContinuousClock.now - started
                let action = await runtime.recordGolden(records: records, result: result, latencyMs: elapsed.seconds * 1000)
                if action != .none { await runtime.perform(action) }
                try await runtime.deps.clock.sleep(for: runtime.config.probes.goldenInterval)
            }
        }
    }
}

/// Closes tumbling windows on time; the last, partial window is reported at shutdown.
public struct WindowService<C: Clock>: Service where C.Duration == Duration, C.Instant: Sendable {
    let runtime: AgentRuntime<C>

    /// Creates the service.
    public init(runtime: AgentRuntime<C>) { self.runtime = runtime }

    /// Closes windows until shutdown.
    public func run() async throws {
        try await untilShutdown {
            while !Task.isCancelled {
                let deadline = await runtime.windowDeadline
                try await runtime.deps.clock.sleep(until: deadline, tolerance: nil)
                await runtime.closeWindow()
            }
        }
        await runtime.closeWindow(force: true)
    }
}

/// Tails a JSON Lines prediction log (rotation and truncation survive).
public struct LogTailService<C: Clock>: Service where C.Duration == Duration, C.Instant: Sendable {
    let runtime: AgentRuntime<C>
    let path: String

    /// Creates the service.
    public init(runtime: AgentRuntime<C>, path: String) {
        self.runtime = runtime
        self.path = path
    }

    /// Follows the file until shutdown.
    public func run() async throws {
        let path = self.path
        let runtime = self.runtime
        try await untilShutdown {
            var tail = LogTail(path: path, fromEnd: true, maxLineBytes: runtime.config.ingest.maxBodyBytes)
            var oversized = 0
            while !Task.isCancelled {
                let lines = tail.poll()
                var events: [PredictionEvent] = []
                var invalid = tail.oversizedLines - oversized
                oversized = tail.oversizedLines
                for line in lines {
                    if let event = EventBodies.decodeLine(PredictionEvent.self, line) { events.append(event) } else { invalid += 1 }
                }
                if !events.isEmpty || invalid > 0 { await runtime.ingest(events: events, invalid: invalid) }
                try await runtime.deps.clock.sleep(for: runtime.config.ingest.logPoll)
            }
        }
    }
}

/// Sends spooled reports to the control plane, oldest first; deletes them only when acknowledged.
public struct ReporterService<C: Clock>: Service where C.Duration == Duration {
    let spool: ReportSpool
    let link: any ControlPlaneLink
    let clock: C
    let batchSize: Int
    let backoff: Backoff
    let idlePoll: Duration
    let logger: Logger
    let metrics: AgentMetrics

    /// Creates the service.
    public init(
        spool: ReportSpool, link: any ControlPlaneLink, clock: C, batchSize: Int, backoff: Backoff, idlePoll: Duration = .milliseconds(200),
        logger: Logger, metrics: AgentMetrics = AgentMetrics()
    ) {
        self.spool = spool
        self.link = link
        self.clock = clock
        self.batchSize = batchSize
        self.backoff = backoff
        self.idlePoll = idlePoll
        self.logger = logger
        self.metrics = metrics
    }

    /// Sends until shutdown.
    public func run() async throws {
        try await untilShutdown {
            var backoff = self.backoff
            var size = batchSize
            while !Task.isCancelled {
                let batch = await spool.peek(limit: size)
                guard !batch.isEmpty else {
                    try await clock.sleep(for: idlePoll)
                    continue
                }
                do throws(LinkError) {
                    let ack = try await link.postReports(batch)
                    await spool.remove(ids: ack.accepted + ack.duplicates)
                    metrics.reportsSent.increment(by: ack.accepted.count + ack.duplicates.count)
                    metrics.spoolDepth.record(await spool.depth)
                    backoff.succeed()
                    size = batchSize
                } catch {
                    metrics.reportsFailed.increment()
                    if !error.retryable {
                        if batch.count > 1 {
                            size = 1  // find the one report the control plane refuses
                            continue
                        }
                        logger.error(
                            "the control plane refused a report; dropping it",
                            metadata: ["report.id": "\(batch[0].id)", "error": "\(error.message)"])
                        await spool.remove(ids: [batch[0].id])
                        metrics.reportsDropped.increment()
                        continue
                    }
                    let delay = backoff.fail(unit: Double.random(in: 0..<1))
                    let depth = await spool.depth
                    logger.warning(
                        "sending reports failed; retrying",
                        metadata: ["error": "\(error.message)", "retry_in": "\(DurationText.format(delay))", "spool.depth": "\(depth)"])
                    try await clock.sleep(for: delay)
                }
            }
        }
    }
}

/// Watches the desired state (long-poll with generation) and applies it through the adapter.
public struct PlanService<C: Clock>: Service where C.Duration == Duration, C.Instant: Sendable {
    let runtime: AgentRuntime<C>
    let link: any ControlPlaneLink

    /// Creates the service.
    public init(runtime: AgentRuntime<C>, link: any ControlPlaneLink) {
        self.runtime = runtime
        self.link = link
    }

    /// Watches until shutdown.
    public func run() async throws {
        try await untilShutdown {
            let config = runtime.config
            var backoff = Backoff(initial: config.reporting.backoffInitial, maximum: config.reporting.backoffMax)
            var seen: Int64?
            while !Task.isCancelled {
                do {
                    guard let desired = try await link.desiredState(after: seen, wait: config.controlPlane.longPoll) else {
                        // Nothing newer. A server that does not hold the poll would make this spin: pause briefly
                        // (a newer generation is still picked up at once by the next poll).
                        backoff.succeed()
                        try await runtime.deps.clock.sleep(for: .seconds(1))
                        continue
                    }
                    backoff.succeed()
                    seen = max(seen ?? desired.generation, desired.generation)
                    guard desired.model == config.server.model else { continue }
                    if let observed = await runtime.apply(desired) {
                        try await link.putObserved(observed)
                    }
                } catch {
                    let delay = backoff.fail(unit: Double.random(in: 0..<1))
                    runtime.deps.logger.warning("desired-state watch failed; retrying", metadata: ["error": "\(error)"])
                    try await runtime.deps.clock.sleep(for: delay)
                }
            }
        }
    }
}

/// Keeps the served version's reference profile loaded: from the on-disk cache, else from the control plane.
public struct ProfileService<C: Clock>: Service where C.Duration == Duration, C.Instant: Sendable {
    let runtime: AgentRuntime<C>
    let link: (any ControlPlaneLink)?
    let cacheDirectory: String
    let checkEvery: Duration

    /// Creates the service.
    public init(runtime: AgentRuntime<C>, link: (any ControlPlaneLink)?, cacheDirectory: String, checkEvery: Duration = .seconds(1)) {
        self.runtime = runtime
        self.link = link
        self.cacheDirectory = cacheDirectory
        self.checkEvery = checkEvery
    }

    /// The cache file of a version's profile.
    public static func cachePath(directory: String, model: String, version: String) -> String {
        directory + "/" + APIPath.escape(model) + "@" + APIPath.escape(version) + ".json"
    }

    /// Loads profiles until shutdown.
    public func run() async throws {
        try await untilShutdown {
            try? FileIO.makeDirectories(cacheDirectory)
            let model = runtime.config.server.model
            var retryAt: [String: C.Instant] = [:]
            while !Task.isCancelled {
                if let version = await runtime.servedVersion, await runtime.profileVersion != version,
                   retryAt[version].map({ runtime.deps.clock.now >= $0 }) ?? true {
                    let path = Self.cachePath(directory: cacheDirectory, model: model, version: version)
                    if let bytes = try? FileIO.read(path), let profile = try? DroverJSON.decode(ReferenceProfile.self, from: bytes) {
                        await runtime.setProfile(profile)
                        runtime.deps.logger.info("reference profile loaded from the cache", metadata: ["version": "\(version)"])
                    } else if let link {
                        do {
                            if let profile = try await link.referenceProfile(model: model, version: version) {
                                try? FileIO.writeAtomically(try DroverJSON.encode(profile), to: path)
                                await runtime.setProfile(profile)
                                runtime.deps.logger.info("reference profile fetched", metadata: ["version": "\(version)"])
                            } else {
                                retryAt[version] = runtime.deps.clock.now.advanced(by: .seconds(60))
                            }
                        } catch {
                            retryAt[version] = runtime.deps.clock.now.advanced(by: .seconds(10))
                            runtime.deps.logger.warning("could not fetch the reference profile", metadata: ["error": "\(error)"])
                        }
                    } else {
                        retryAt[version] = runtime.deps.clock.now.advanced(by: .seconds(60))
                    }
                }
                try await runtime.deps.clock.sleep(for: checkEvery)
            }
        }
    }
}
