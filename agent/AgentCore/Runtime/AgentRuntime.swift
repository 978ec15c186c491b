import CoreMetrics
import DroverAPI
import Logging

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What one ingest call did with its events.
public struct IngestResult: Sendable, Equatable {
    /// Events counted in the window.
    public var accepted = 0
    /// Events left out by sampling (not a loss).
    public var sampledOut = 0
    /// Events dropped: over the window bound, or undecodable.
    public var dropped = 0

    /// Creates an empty result.
    public init() {}
}

/// The agent's shared state: the open window, label joins, the guard, the served version and the reference
/// profile. Services feed it; it closes windows into spooled reports and performs failovers and applies.
public actor AgentRuntime<C: Clock> where C.Duration == Duration, C.Instant: Sendable {
    /// Everything the runtime talks to.
    public struct Dependencies: Sendable {
        /// The inference server.
        public var adapter: any InferenceAdapter
        /// The report spool.
        public var spool: ReportSpool
        /// The control plane, if configured.
        public var link: (any ControlPlaneLink)?
        /// Statistics.
        public var statistics: any AgentStatistics
        /// The clock windows and TTLs run on.
        public var clock: C
        /// Wall-clock time for report timestamps.
        public var now: @Sendable () -> Date
        /// Logger.
        public var logger: Logger

        /// Creates dependencies.
        public init(
            adapter: any InferenceAdapter, spool: ReportSpool, link: (any ControlPlaneLink)?, statistics: any AgentStatistics,
            clock: C, now: @escaping @Sendable () -> Date = { Date() }, logger: Logger
        ) {
            self.adapter = adapter
            self.spool = spool
            self.link = link
            self.statistics = statistics
            self.clock = clock
            self.now = now
            self.logger = logger
        }
    }

    /// The configuration.
    public nonisolated let config: AgentConfig
    /// Dependencies.
    public nonisolated let deps: Dependencies
    /// Metrics.
    public nonisolated let metrics = AgentMetrics()
    private let sampler: EventSampler
    private var schedule: WindowSchedule<C.Instant>
    private var windowStart: Date
    private var accumulator: WindowAccumulator
    private var joiner: LabelJoiner<C.Instant>
    private var localGuard: LocalGuard
    /// The version the server serves, as far as the agent knows.
    public private(set) var servedVersion: String?
    private var profile: (profile: ReferenceProfile, digest: String)?
    private var lastAgentCPU: Double?
    private var lastServerCPU: Double?
    /// The last desired generation applied (or attempted).
    public private(set) var appliedGeneration: Int64?
    /// Reports written since start.
    public private(set) var reportsWritten = 0

    /// Creates the runtime and opens the first window.
    public init(config: AgentConfig, deps: Dependencies) {
        self.config = config
        self.deps = deps
        self.sampler = EventSampler(rate: config.ingest.sampleRate)
        self.schedule = WindowSchedule(length: config.window.duration, maxEvents: config.window.maxEvents, start: deps.clock.now)
        self.windowStart = deps.now()
        self.accumulator = WindowAccumulator(profile: nil, profileDigest: nil, maxSamplesPerFeature: config.ingest.maxSamplesPerFeature)
        self.joiner = LabelJoiner(ttl: config.ingest.labelTTL, capacity: config.ingest.maxPending)
        self.servedVersion = config.server.version
        self.localGuard = LocalGuard(
            policy: .init(
                enabled: config.guardrail.enabled, failureThreshold: config.guardrail.failureThreshold,
                validationMetric: config.guardrail.validationMetric, validationFloor: config.guardrail.validationFloor,
                validationWindows: config.guardrail.validationWindows, backupVersion: config.server.backupVersion),
            servedVersion: config.server.version)
    }

    // MARK: Probes

    /// Asks the server which version it serves when the agent does not know yet.
    public func discoverServedVersion() async {
        guard servedVersion == nil else { return }
        if let version = try? await deps.adapter.servedVersion(), servedVersion == nil {
            servedVersion = version
            localGuard.servedVersion = version
            deps.logger.info("served version discovered", metadata: ["version": "\(version)"])
        }
    }

    /// Records a health probe; returns what the guard wants done.
    public func recordProbe(_ health: ServerHealth) -> LocalGuard.Action {
        accumulator.recordProbe(live: health.live, ready: health.ready, errorKind: health.ok ? nil : (health.errorKind ?? "not_ready"))
        (health.ok ? metrics.probesOK : metrics.probesFailed).increment()
        metrics.serverLive.record(health.live ? 1 : 0)
        metrics.serverReady.record(health.ready ? 1 : 0)
        let action = localGuard.handle(.probe(ok: health.ok))
        metrics.consecutiveFailures.record(localGuard.consecutiveFailures)
        if !health.ok {
            deps.logger.warning(
                "probe failed",
                metadata: ["kind": "\(health.errorKind ?? "not_ready")", "detail": "\(health.detail ?? "")",
                           "consecutive": "\(localGuard.consecutiveFailures)"])
        }
        return action
    }

    /// Records a golden batch: its outputs (or error) and latency; a failed batch counts as a failed probe.
    public func recordGolden(records: [GoldenRecord], result: Result<[[Double]], AdapterError>, latencyMs: Double) -> LocalGuard.Action {
        switch result {
        case .success(let outputs):
            accumulator.recordLatency(ms: latencyMs)
            metrics.inferenceLatency.recordNanoseconds(Int64(latencyMs * 1e6))
            let scored = GoldenSet.score(records, outputs: outputs)
            if !scored.scores.isEmpty { accumulator.recordGolden(scores: scored.scores, labels: scored.labels) }
            if !scored.queries.isEmpty { accumulator.recordGolden(queries: scored.queries) }
            return .none
        case .failure(let error):
            accumulator.recordError(error.kind)
            deps.logger.warning("golden batch failed", metadata: ["kind": "\(error.kind)", "error": "\(error.message)"])
            return localGuard.handle(.probe(ok: false))
        }
    }

    /// Performs a guard failover: switches the server, records the incident, tells the control plane.
    public func perform(_ action: LocalGuard.Action) async {
        guard case .failover(let from, let to, let reason) = action else { return }
        deps.logger.error("failing over to the backup version", metadata: ["from": "\(from ?? "?")", "to": "\(to)", "reason": "\(reason)"])
        // What was measured so far belongs to the failing version: report it under that version's name.
        await closeWindow(force: true, evaluatingGuard: false)
        var error: AdapterError?
        do {
            try await deps.adapter.switchVersion(to: to)
        } catch let e {
            error = e
        }
        _ = localGuard.handle(.switchFinished(ok: error == nil))
        if error == nil { servedVersion = to }
        metrics.failovers.increment()
        let at = deps.now()
        accumulator.recordIncident(
            IncidentEvent(at: at, kind: IncidentEvent.failover, from: from, to: to, reason: reason + (error.map { "; switch failed: \($0.message)" } ?? "")))
        if let link = deps.link {
            let observed = ObservedState(
                agentID: config.agent.id, model: config.server.model, version: servedVersion ?? to, generation: appliedGeneration ?? 0,
                status: error == nil ? .failedOver : .failed, error: error?.message, observedAt: at)
            do {
                try await link.putObserved(observed)
            } catch {
                deps.logger.warning("could not report the failover to the control plane", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Whether the guard has failed over (and so waits for an operator).
    public var guardState: LocalGuard.State { localGuard.state }

    // MARK: Live traffic

    /// Ingests prediction events (sampled and bounded); closes a count window when it fills up.
    @discardableResult
    public func ingest(events: [PredictionEvent], invalid: Int = 0) async -> IngestResult {
        var result = IngestResult()
        result.dropped = invalid
        let now = deps.clock.now
        var windowFull = false
        for event in events {
            guard sampler.keeps(event.requestID) else {
                result.sampledOut += 1
                continue
            }
            guard accumulator.events < config.ingest.maxEventsPerWindow else {
                result.dropped += 1
                continue
            }
            accumulator.recordEvent(event)
            if !joiner.addPrediction(event, now: now) { accumulator.recordDroppedLabels(1) }
            result.accepted += 1
            if schedule.recordEvent() { windowFull = true }
        }
        if result.dropped > 0 { accumulator.recordDroppedEvents(result.dropped) }
        metrics.eventsAccepted.increment(by: result.accepted)
        metrics.eventsSampledOut.increment(by: result.sampledOut)
        metrics.eventsDropped.increment(by: result.dropped)
        metrics.pendingJoins.record(joiner.count)
        if windowFull { await closeWindow(force: true) }
        return result
    }

    /// Joins delayed labels; returns how many matched a waiting prediction and how many did not.
    @discardableResult
    public func ingest(labels: [LabelEvent], invalid: Int = 0) -> (matched: Int, unmatched: Int) {
        var outcome = JoinOutcome()
        var matched = 0
        for label in labels where joiner.addLabel(label, outcome: &outcome) { matched += 1 }
        let unmatched = labels.count - matched + invalid
        accumulator.recordOnline(outcome)
        accumulator.recordDroppedLabels(unmatched)
        metrics.labelsMatched.increment(by: matched)
        metrics.labelsUnmatched.increment(by: unmatched)
        return (matched, unmatched)
    }

    // MARK: Windows

    /// The open window's deadline.
    public var windowDeadline: C.Instant { schedule.deadline }

    /// Closes the open window when it is due (or `force`), writes its report to the spool, and applies the guard
    /// (unless `evaluatingGuard` is false: a window cut short by a version switch is not judged).
    public func closeWindow(force: Bool = false, evaluatingGuard: Bool = true) async {
        let now = deps.clock.now
        guard force || schedule.isDue(at: now) else { return }
        accumulator.recordOnline(joiner.expire(now: now))
        _ = schedule.close(at: now)
        let end = deps.now()
        let window = TimeWindow(start: windowStart, end: end)
        windowStart = end
        var closed = accumulator
        accumulator = WindowAccumulator(
            profile: profile?.profile, profileDigest: profile?.digest, maxSamplesPerFeature: config.ingest.maxSamplesPerFeature)

        let resources = sampleResources()
        let dropped = await deps.spool.pendingDropped
        if dropped > 0 {
            closed.recordIncident(
                IncidentEvent(at: end, kind: IncidentEvent.spoolOverflow, reason: "\(dropped) reports dropped: the spool was full while the control plane was away"))
        }
        let report = closed.report(
            id: ReportID.generate(at: end), agentID: config.agent.id, model: config.server.model, version: servedVersion ?? "unknown",
            window: window, consecutiveFailures: localGuard.consecutiveFailures, resources: resources, droppedReports: dropped,
            statistics: deps.statistics, k: config.probes.k)
        do {
            let droppedNow = try await deps.spool.append(report)
            await deps.spool.acknowledgeDropped(dropped)
            reportsWritten += 1
            deps.logger.debug("report written to the spool", metadata: ["report.id": "\(report.id)"])
            metrics.reportsSpooled.increment()
            if droppedNow > 0 { metrics.reportsDropped.increment(by: droppedNow) }
            metrics.spoolDepth.record(await deps.spool.depth)
        } catch {
            deps.logger.error("could not write a report to the spool", metadata: ["error": "\(error)", "report.id": "\(report.id)"])
        }
        publish(report)
        // The closed window's samples and the report are free now: give their pages back (once a window, cheap).
        HeapTrim.releaseFreeMemory()
        guard evaluatingGuard else { return }
        let metric = config.guardrail.validationMetric.flatMap { report.validation?.metrics[$0] }
        let action = localGuard.handle(.windowClosed(metric: metric))
        if action != .none { await perform(action) }
    }

    private func publish(_ report: Report) {
        if let rss = report.resources?.agentRSSBytes { metrics.agentRSS.record(rss) }
        for f in report.drift?.features ?? [] { if let psi = f.psi { metrics.driftPSI(f.name).record(psi) } }
        for block in [report.validation, report.online].compactMap({ $0 }) {
            for (name, value) in block.metrics { metrics.validation(block.source, name).record(value) }
        }
    }

    private func sampleResources() -> ResourceBlock {
        var block = ResourceBlock()
        if let me = ResourceSampler().sample() {
            block.agentRSSBytes = me.rssBytes
            if let last = lastAgentCPU { block.agentCPUSeconds = max(0, me.cpuSeconds - last) }
            lastAgentCPU = me.cpuSeconds
        }
        let pid = config.server.pid ?? config.server.pidFile.flatMap(ResourceSampler.pid(fromFile:))
        if let pid, let server = ResourceSampler(pid: pid).sample() {
            block.serverRSSBytes = server.rssBytes
            if let last = lastServerCPU { block.serverCPUSeconds = max(0, server.cpuSeconds - last) }
            lastServerCPU = server.cpuSeconds
        }
        return block
    }

    // MARK: Reference profile

    /// The version whose profile is loaded.
    public var profileVersion: String? { profile?.profile.version }

    /// Uses `profile` for drift from the next window on (the open one too when it holds no events yet). `digest`
    /// names it in reports: the control plane's (its ETag, or the SHA-256 of the JSON it served); without one it is
    /// computed over the profile's canonical JSON.
    public func setProfile(_ profile: ReferenceProfile, digest: String? = nil) {
        let digest = digest ?? ("sha256:" + SHA256.hex((try? DroverJSON.encode(profile)) ?? []))
        self.profile = (profile, digest)
        if accumulator.events == 0 {
            var fresh = WindowAccumulator(profile: profile, profileDigest: digest, maxSamplesPerFeature: config.ingest.maxSamplesPerFeature)
            fresh.adoptHealth(from: accumulator)
            accumulator = fresh
        }
    }

    // MARK: Plan

    /// Applies a desired state newer than the last one; returns what was observed.
    public func apply(_ desired: DesiredState) async -> ObservedState? {
        if let applied = appliedGeneration, desired.generation <= applied { return nil }
        appliedGeneration = desired.generation
        let at = deps.now()
        if desired.version == servedVersion, localGuard.state == .armed {
            return ObservedState(
                agentID: config.agent.id, model: config.server.model, version: desired.version, generation: desired.generation,
                status: .applied, observedAt: at)
        }
        let from = servedVersion
        // The open window belongs to the version served until now.
        await closeWindow(force: true, evaluatingGuard: false)
        do {
            try await deps.adapter.switchVersion(to: desired.version)
            servedVersion = desired.version
            _ = localGuard.handle(.versionSetByPlan(desired.version))
            accumulator.recordIncident(
                IncidentEvent(at: at, kind: IncidentEvent.applyOK, from: from, to: desired.version, reason: desired.reason))
            deps.logger.notice("applied the desired version", metadata: ["version": "\(desired.version)", "generation": "\(desired.generation)"])
            return ObservedState(
                agentID: config.agent.id, model: config.server.model, version: desired.version, generation: desired.generation,
                status: .applied, observedAt: deps.now())
        } catch {
            accumulator.recordIncident(
                IncidentEvent(at: at, kind: IncidentEvent.applyFailed, from: from, to: desired.version, reason: error.message))
            deps.logger.error("could not apply the desired version", metadata: ["version": "\(desired.version)", "error": "\(error.message)"])
            return ObservedState(
                agentID: config.agent.id, model: config.server.model, version: servedVersion ?? from ?? "unknown",
                generation: desired.generation, status: .failed, error: error.message, observedAt: deps.now())
        }
    }
}
