import DroverAPI
import Metrics

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Accepts reports from agents: checks them, dedupes by id, stores raw JSON plus rollups in one write.
public struct IngestService: Sendable {
    let store: any ControlPlaneStore
    let clock: WallClock
    /// Limits and retention.
    public let configuration: IngestConfiguration
    private let accepted = Counter(label: "drover_controlplane_reports_accepted_total")
    private let duplicates = Counter(label: "drover_controlplane_reports_duplicate_total")
    private let agentCache: AgentCache

    /// Creates the service.
    public init(store: any ControlPlaneStore, clock: WallClock = .system, configuration: IngestConfiguration = .init()) {
        self.store = store
        self.clock = clock
        self.configuration = configuration
        self.agentCache = AgentCache(ttl: configuration.agentCacheSeconds)
    }

    /// One report plus, when available, its JSON exactly as received.
    public struct Submission: Sendable {
        /// The decoded report.
        public var report: Report
        /// The raw JSON (re-encoded when nil).
        public var json: [UInt8]?

        /// Creates a submission.
        public init(report: Report, json: [UInt8]? = nil) {
            self.report = report
            self.json = json
        }
    }

    /// Ingests reports from `principal` (which must be the reporting agent): new ids are stored and counted,
    /// repeated ids are acknowledged as duplicates.
    public func ingest(_ submissions: [Submission], by principal: Principal) async throws -> ReportAck {
        guard submissions.count <= configuration.maxBatchReports else {
            throw ControlPlaneError.invalidField(
                "reports", "has \(submissions.count) reports; at most \(configuration.maxBatchReports) are allowed per batch")
        }
        let now = clock.now()
        var agents: [String: AgentRecord] = [:]
        var items: [IngestItem] = []
        items.reserveCapacity(submissions.count)
        for (index, submission) in submissions.enumerated() {
            let report = submission.report
            let prefix = submissions.count == 1 && submission.json != nil ? "" : "reports[\(index)]"
            try check(report, prefix: prefix, now: now)
            try principal.requireAgent(report.agentID)
            let agent: AgentRecord
            if let known = agents[report.agentID] {
                agent = known
            } else if let cached = agentCache.record(report.agentID, now: now), cached.model == report.model {
                agents[report.agentID] = cached
                agent = cached
            } else if let stored = try await store.agent(id: report.agentID) {
                agentCache.store(stored, now: now)
                agents[report.agentID] = stored
                agent = stored
            } else {
                throw ControlPlaneError.unprocessable(
                    "agent \"\(report.agentID)\" is not enrolled; enrol it before sending reports", field: field(prefix, "agent_id"))
            }
            guard agent.model == report.model else {
                throw ControlPlaneError.invalidField(
                    field(prefix, "model"), "agent \"\(agent.id)\" is enrolled for model \"\(agent.model)\", not \"\(report.model)\"")
            }
            let json = try submission.json ?? DroverJSON.encode(report)
            let stored = StoredReport(
                id: report.id, agentID: report.agentID, model: report.model, version: report.version, zone: agent.zone,
                windowStart: report.window.start, windowEnd: report.window.end, receivedAt: now, json: json)
            let key = RollupKey(
                model: report.model, version: report.version, zone: agent.zone, bucketStart: configuration.bucket(of: report.window.start))
            items.append(IngestItem(report: stored, key: key, rollup: ReportRollup(report: report)))
        }
        let stored = try await store.ingest(items)
        var ack = ReportAck(accepted: [], duplicates: [])
        var seen = Set<String>()
        for item in items {
            let id = item.report.id
            if stored.contains(id), seen.insert(id).inserted { ack.accepted.append(id) } else { ack.duplicates.append(id) }
        }
        accepted.increment(by: ack.accepted.count)
        duplicates.increment(by: ack.duplicates.count)
        return ack
    }

    private func field(_ prefix: String, _ name: String) -> String { prefix.isEmpty ? name : "\(prefix).\(name)" }

    private func check(_ report: Report, prefix: String, now: Date) throws(ControlPlaneError) {
        try BodyValidation.validate(report, prefix: prefix)
        try BodyValidation.id(report.id, field(prefix, "id"))
        try BodyValidation.id(report.agentID, field(prefix, "agent_id"))
        try BodyValidation.id(report.model, field(prefix, "model"))
        try BodyValidation.id(report.version, field(prefix, "version"))
        if report.schemaVersion < 1 || report.schemaVersion > DroverAPIInfo.schemaVersion {
            throw .invalidField(field(prefix, "schema_version"), "unsupported schema version \(report.schemaVersion); this server understands 1…\(DroverAPIInfo.schemaVersion)")
        }
        if report.window.end <= report.window.start {
            throw .invalidField(field(prefix, "window.end"), "must be after window.start")
        }
        if report.window.end.timeIntervalSince(now) > configuration.maxClockSkew {
            throw .invalidField(field(prefix, "window.end"), "is in the future; check the agent's clock")
        }
        if let latency = report.latencyMs {
            let h = latency.histogram
            if h.counts.count != h.bounds.count + 1 {
                throw .invalidField(field(prefix, "latency_ms.histogram.counts"), "must have bounds.count + 1 = \(h.bounds.count + 1) entries, got \(h.counts.count)")
            }
            if h.counts.contains(where: { $0 < 0 }) || latency.count < 0 {
                throw .invalidField(field(prefix, "latency_ms.histogram.counts"), "must not be negative")
            }
        }
        if report.errors.count < 0 { throw .invalidField(field(prefix, "errors.count"), "must not be negative") }
        for (name, block) in [("validation", report.validation), ("online", report.online)] {
            guard let block else { continue }
            if block.n < 0 { throw .invalidField(field(prefix, "\(name).n"), "must not be negative") }
            for (metric, value) in block.metrics where !value.isFinite {
                throw .invalidField(field(prefix, "\(name).metrics.\(metric)"), "must be a finite number")
            }
        }
        if let drift = report.drift {
            for (group, entries) in [("features", drift.features), ("outputs", drift.outputs)] {
                for (i, entry) in entries.enumerated() {
                    let counts: [Int] = switch entry.counts {
                    case .bins(let b): b
                    case .categories(let c): Array(c.values)
                    case nil: []
                    }
                    if counts.contains(where: { $0 < 0 }) || entry.n < 0 {
                        throw .invalidField(field(prefix, "drift.\(group)[\(i)].counts"), "must not be negative")
                    }
                }
            }
        }
    }
}
