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
                    logger.log(
                        level: error.isAuthError ? .error : .warning, "sending reports failed; retrying",
                        metadata: ["error": "\(error.message)", "retry_in": "\(DurationText.format(delay))", "spool.depth": "\(depth)"])
                    try await clock.sleep(for: delay)
                }
            }
        }
    }
}

/// Watches the desired state (long-poll with generation), applies it through the adapter and reports what it observed.
///
/// 200 is a newer desired state (applied once per generation); 204 means nothing newer within the wait (poll again at
/// once); 404 means none is set yet (poll again after `notSetPause`). An observed state that could not be delivered is
/// sent again before the next poll.
public struct PlanService<C: Clock>: Service where C.Duration == Duration, C.Instant: Sendable {
    let runtime: AgentRuntime<C>
    let link: any ControlPlaneLink
    let notSetPause: Duration

    /// Creates the service.
    public init(runtime: AgentRuntime<C>, link: any ControlPlaneLink, notSetPause: Duration = .seconds(5)) {
        self.runtime = runtime
        self.link = link
        self.notSetPause = notSetPause
    }

    /// Watches until shutdown.
    public func run() async throws {
        try await untilShutdown {
            let config = runtime.config
            let clock = runtime.deps.clock
            let logger = runtime.deps.logger
            let wait = config.controlPlane.longPoll
            var backoff = Backoff(initial: config.reporting.backoffInitial, maximum: config.reporting.backoffMax)
            var seen: Int64?
            var undelivered: ObservedState?
            while !Task.isCancelled {
                do {
                    if let observed = undelivered {
                        try await link.putObserved(observed)
                        undelivered = nil
                    }
                    let started = clock.now
                    let poll = try await link.desiredState(after: seen, wait: wait)
                    backoff.succeed()
                    switch poll {
                    case .unchanged:
                        // A server that answers well before the wait (it caps the wait lower, or does not hold polls)
                        // would make this spin: pause briefly. A newer generation is still picked up by the next poll.
                        if started.duration(to: clock.now) < wait / 2 { try await clock.sleep(for: .seconds(1)) }
                    case .notSet:
                        try await clock.sleep(for: min(notSetPause, wait))
                    case .changed(let desired):
                        seen = max(seen ?? desired.generation, desired.generation)
                        guard desired.model == config.server.model else {
                            logger.warning(
                                "ignoring a desired state for another model",
                                metadata: ["model": "\(desired.model)", "generation": "\(desired.generation)"])
                            continue
                        }
                        if let observed = await runtime.apply(desired) {
                            undelivered = observed
                            try await link.putObserved(observed)
                            undelivered = nil
                        }
                    }
                } catch let error as LinkError {
                    let delay = backoff.fail(unit: Double.random(in: 0..<1))
                    logger.log(
                        level: error.isAuthError ? .error : .warning, "desired-state watch failed; retrying",
                        metadata: ["error": "\(error.message)", "retry_in": "\(DurationText.format(delay))"])
                    try await clock.sleep(for: delay)
                }
            }
        }
    }
}

/// Sends a heartbeat every `control_plane.heartbeat_interval` (the first one at start, which also enrols the agent
/// when it holds no credential yet), so the control plane sees it active and knows its labels and served version.
public struct HeartbeatService<C: Clock>: Service where C.Duration == Duration, C.Instant: Sendable {
    let runtime: AgentRuntime<C>
    let link: any ControlPlaneLink
    let sent = Counter(label: "drover_agent_heartbeats_total", dimensions: [("outcome", "ok")])
    let failed = Counter(label: "drover_agent_heartbeats_total", dimensions: [("outcome", "failed")])

    /// Creates the service.
    public init(runtime: AgentRuntime<C>, link: any ControlPlaneLink) {
        self.runtime = runtime
        self.link = link
    }

    /// Beats until shutdown.
    public func run() async throws {
        try await untilShutdown {
            let config = runtime.config
            let logger = runtime.deps.logger
            var failing = false
            while !Task.isCancelled {
                let beat = Heartbeat(
                    agentID: config.agent.id, version: await runtime.servedVersion, labels: config.agent.labels,
                    spoolDepth: await runtime.deps.spool.depth, agentVersion: AgentCoreInfo.version)
                do throws(LinkError) {
                    try await link.heartbeat(beat)
                    sent.increment()
                    if failing { logger.notice("heartbeats reach the control plane again") }
                    failing = false
                } catch {
                    failed.increment()
                    logger.log(
                        level: error.isAuthError || !error.retryable ? .error : (failing ? .debug : .warning),
                        "heartbeat failed", metadata: ["error": "\(error.message)"])
                    failing = true
                }
                try await runtime.deps.clock.sleep(for: config.controlPlane.heartbeatInterval)
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
                        // The cache holds the JSON as the control plane served it: its SHA-256 is the server's digest.
                        await runtime.setProfile(profile, digest: "sha256:" + SHA256.hex(bytes))
                        runtime.deps.logger.info("reference profile loaded from the cache", metadata: ["version": "\(version)"])
                    } else if let link {
                        do {
                            if let fetched = try await link.referenceProfile(model: model, version: version) {
                                try? FileIO.writeAtomically(fetched.json, to: path)
                                await runtime.setProfile(fetched.profile, digest: fetched.digest)
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
