import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// API tokens, stored hashed.
public protocol TokenStore: Sendable {
    /// Stores a new token.
    func insertToken(_ token: TokenRecord) async throws
    /// The token whose secret hashes to `secretHash`, revoked or not.
    func token(secretHash: String) async throws -> TokenRecord?
    /// All tokens, newest first.
    func tokens() async throws -> [TokenRecord]
    /// Marks a token revoked; false if there is no such unrevoked token.
    func revokeToken(id: String, at: Date) async throws -> Bool
    /// Revokes every unrevoked token of an agent; returns how many.
    func revokeAgentTokens(agentID: String, at: Date) async throws -> Int
}

/// Enrolled agents.
public protocol AgentStore: Sendable {
    /// Inserts or replaces an agent (keeps `enrolledAt` of an existing one).
    func upsertAgent(_ agent: AgentRecord) async throws
    /// One agent.
    func agent(id: String) async throws -> AgentRecord?
    /// All agents, optionally of one model, ordered by id.
    func agents(model: String?) async throws -> [AgentRecord]
    /// Records that agents were heard from; returns the ids that exist.
    @discardableResult
    func recordSightings(_ sightings: [AgentSighting]) async throws -> Set<String>
}

/// Raw reports (deduplicated by id) and their merged rollups.
public protocol ReportStore: Sendable {
    /// Stores the items whose report id is new, merges their rollups and records agent sightings, atomically.
    /// Returns the ids stored now; the others were duplicates.
    func ingest(_ items: [IngestItem]) async throws -> Set<String>
    /// Stored reports of an agent with window start in `[from, to)`, newest first.
    func reports(agentID: String, from: Date, to: Date, limit: Int) async throws -> [StoredReport]
    /// Rollup rows matching the query.
    func rollups(_ query: RollupQuery) async throws -> [RollupRow]
    /// Deletes raw reports received before `date`; returns how many.
    func pruneReports(receivedBefore date: Date) async throws -> Int
    /// Deletes rollups with bucket start before `date`; returns how many.
    func pruneRollups(before date: Date) async throws -> Int
}

/// The version registry: versions, aliases, reference profiles.
public protocol VersionStore: Sendable {
    /// Stores a version unless one with the same model and version exists (then returns it unchanged).
    func insertVersion(_ version: VersionRecord) async throws -> VersionInsertOutcome
    /// One version, with its aliases.
    func version(model: String, version: String) async throws -> VersionRecord?
    /// All versions (optionally of one model), oldest first, with aliases.
    func versions(model: String?) async throws -> [VersionRecord]
    /// Versions whose lineage names `version` as parent.
    func children(model: String, of version: String) async throws -> [VersionRecord]
    /// Sets a version's status; false if it does not exist.
    func setStatus(model: String, version: String, status: VersionStatus) async throws -> Bool
    /// Points `alias` of `model` at `version` (moving it from another version).
    func setAlias(model: String, alias: String, version: String) async throws
    /// Removes an alias; false if it was not set.
    func removeAlias(model: String, alias: String) async throws -> Bool
    /// Stores a version's reference profile and records its digest on the version.
    func putProfile(model: String, version: String, profile: StoredProfile) async throws
    /// A version's reference profile.
    func profile(model: String, version: String) async throws -> StoredProfile?
}

/// Desired and observed state per agent.
public protocol DesiredStateStore: Sendable {
    /// Sets the desired state of each target atomically, each with generation = its previous generation + 1.
    func setDesired(_ targets: [DesiredTarget], at: Date, by: String) async throws -> [DesiredRecord]
    /// An agent's desired state.
    func desired(agentID: String) async throws -> DesiredRecord?
    /// Desired states pointing at a version.
    func desired(model: String, version: String) async throws -> [DesiredRecord]
    /// Stores an agent's observed state (replacing the previous one).
    func putObserved(_ observed: ObservedRecord) async throws
    /// An agent's observed state.
    func observed(agentID: String) async throws -> ObservedRecord?
}

/// The append-only audit log.
public protocol AuditStore: Sendable {
    /// Appends an entry (the store assigns its sequence).
    func appendAudit(_ entry: AuditEntry) async throws
    /// Entries with sequence greater than `after`, newest first, at most `limit`.
    func audit(after: Int64, limit: Int) async throws -> [AuditEntry]
}

/// Everything the control-plane spine stores. Alerts, retraining and the training monitor add their own
/// store protocols (and tables, through new migrations) next to these.
public protocol ControlPlaneStore: TokenStore, AgentStore, ReportStore, VersionStore, DesiredStateStore, AuditStore {
    /// Throws if the store cannot serve requests (used by `/readyz`).
    func ping() async throws
}
