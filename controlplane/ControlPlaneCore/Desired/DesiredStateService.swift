import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Sets desired state (per agent, monotonic generation), answers long-polls, stores observed state.
public struct DesiredStateService: Sendable {
    let store: any ControlPlaneStore
    let clock: WallClock
    /// Wakes long-polls.
    public let notifier: DesiredStateNotifier
    /// The longest a long-poll may wait.
    public let maxWait: Duration

    /// Creates the service.
    public init(
        store: any ControlPlaneStore, clock: WallClock = .system, notifier: DesiredStateNotifier = .init(),
        maxWait: Duration = .seconds(60)
    ) {
        self.store = store
        self.clock = clock
        self.notifier = notifier
        self.maxWait = maxWait
    }

    /// Sets the desired version of every agent of `update.model` whose labels match the selector (see `apply`).
    public func set(_ update: DesiredStateUpdate, planID: String? = nil, by principal: Principal) async throws -> [DesiredRecord] {
        try await apply(update, planID: planID, by: principal).records
    }

    /// Sets the desired version of every agent of `update.model` whose labels match the selector, after checking
    /// the version's declared input schema against the features those agents see: a mismatch throws
    /// `SchemaMismatchError` unless `update.force` is true (then the override is written to the audit log).
    public func apply(_ update: DesiredStateUpdate, planID: String? = nil, by principal: Principal) async throws -> DesiredChange {
        try principal.require(.desiredWrite)
        try BodyValidation.validate(update)
        try BodyValidation.id(update.model, "model")
        try BodyValidation.id(update.version, "version")
        if update.reason.isEmpty { throw ControlPlaneError.invalidField("reason", "must say why (it goes to the audit log)") }
        guard let version = try await store.version(model: update.model, version: update.version) else {
            throw ControlPlaneError.unprocessable(
                "version \(update.model)/\(update.version) is not registered; register it before sending agents to it", field: "version")
        }
        guard version.status != .retired else {
            throw ControlPlaneError.conflict("\(update.model)/\(update.version) is retired; choose another version", field: "version")
        }
        let agents = try await store.agents(model: update.model).filter { $0.matches(update.selector) }
        guard !agents.isEmpty else {
            throw ControlPlaneError.unprocessable(
                "no enrolled agent of model \(update.model) matches selector \(update.selector.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))",
                field: "selector")
        }
        let check = try await schemaCheck(version, agents: agents, selector: update.selector)
        let forced = update.force == true
        if !check.compatible && !forced { throw SchemaMismatchError(check: check) }
        let records = try await store.setDesired(
            agents.map { DesiredTarget(agentID: $0.id, model: update.model, version: update.version, planID: planID, reason: update.reason) },
            at: clock.now(), by: principal.actor)
        notifier.notify(agentIDs: records.map(\.agentID))
        var detail = ["version": update.version, "agents": "\(records.count)", "reason": update.reason]
        if !update.selector.isEmpty {
            detail["selector"] = update.selector.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        }
        if let planID { detail["plan_id"] = planID }
        detail["schema_check"] = Self.auditSummary(check)
        if forced { detail["force"] = "true" }
        try await store.appendAudit(AuditEntry(principal: principal, at: clock.now(), action: "desired.set", target: update.model, detail: detail))
        return DesiredChange(records: records, schemaCheck: check, forced: forced && !check.compatible)
    }

    /// One line for the audit log: `compatible`, or the failing groups (kept under the detail size limit).
    static func auditSummary(_ check: SchemaCheck) -> String {
        var text = check.compatible ? "compatible" : "mismatch overridden: " + check.groups.filter { !$0.compatible }
            .map(SchemaMismatchError.describe).joined(separator: "; ")
        if !check.unchecked.isEmpty { text += " (\(check.unchecked.count) agent(s) without reports unchecked)" }
        return text.count > 1_000 ? String(text.prefix(1_000)) + "…" : text
    }

    /// The agent's desired state once its generation exceeds `after`, waiting up to `wait` (capped at `maxWait`);
    /// nil when the wait ends with nothing newer. Woken at once by `set`.
    public func wait<C: Clock>(agentID: String, after: Int64, wait: Duration, clock: C, by principal: Principal) async throws
        -> DesiredRecord? where C.Duration == Duration
    {
        try principal.requireAgent(agentID, orPermission: .read)
        let changes = notifier.subscribe(agentID: agentID)  // subscribe before reading: no lost wake-up
        if let current = try await store.desired(agentID: agentID), current.generation > after { return current }
        let limit = min(wait, maxWait)
        guard limit > .zero else { return nil }
        let deadline = clock.now.advanced(by: limit)
        while true {
            let woke = await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    for await _ in changes { return true }
                    return false
                }
                group.addTask {
                    try? await clock.sleep(until: deadline, tolerance: nil)
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
            if Task.isCancelled { return nil }
            if let current = try await store.desired(agentID: agentID), current.generation > after { return current }
            if !woke || clock.now >= deadline { return nil }
        }
    }

    /// An agent's desired state now.
    public func current(agentID: String, by principal: Principal) async throws -> DesiredRecord? {
        try principal.requireAgent(agentID, orPermission: .read)
        return try await store.desired(agentID: agentID)
    }

    /// Stores what the agent observed after applying its desired state.
    public func observe(_ observed: ObservedState, by principal: Principal) async throws {
        try principal.requireAgent(observed.agentID)
        try BodyValidation.validate(observed)
        guard try await store.agent(id: observed.agentID) != nil else {
            throw ControlPlaneError.notFound("agent \"\(observed.agentID)\" is not enrolled; enrol it first")
        }
        if observed.generation < 0 { throw ControlPlaneError.invalidField("generation", "must not be negative") }
        try await store.putObserved(
            ObservedRecord(
                agentID: observed.agentID, model: observed.model, version: observed.version, generation: observed.generation,
                status: observed.status, error: observed.error, observedAt: observed.observedAt, receivedAt: clock.now()))
        try await store.recordSightings([AgentSighting(agentID: observed.agentID, at: clock.now(), version: observed.version)])
    }
}

/// The outcome of a desired-state change: the new records and the schema check that allowed them.
public struct DesiredChange: Sendable, Equatable {
    /// One record per agent.
    public var records: [DesiredRecord]
    /// The comparison of the version's declared inputs with the agents' features.
    public var schemaCheck: SchemaCheck
    /// True when the change went through only because the operator forced it.
    public var forced: Bool

    /// Creates a change.
    public init(records: [DesiredRecord], schemaCheck: SchemaCheck, forced: Bool) {
        self.records = records
        self.schemaCheck = schemaCheck
        self.forced = forced
    }
}
