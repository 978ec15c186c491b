import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One step of a version's lineage, with size ratios against its parent.
public struct LineageNode: Codable, Sendable, Equatable {
    /// The version.
    public var version: String
    /// Its parent, if any.
    public var derivedFrom: String?
    /// How it was derived.
    public var method: LineageMethod?
    /// Method parameters.
    public var parameters: [String: String]?
    /// Status.
    public var status: VersionStatus
    /// Footprint.
    public var footprint: ModelFootprint?
    /// Parent bytes / own bytes (e.g. 4.0 for an int8 copy of a float32 model), when both are known.
    public var compressionRatio: Double?
    /// Parent parameters / own parameters, when both are known.
    public var parameterRatio: Double?
    /// Distance from the version asked about (ancestors negative, descendants positive).
    public var depth: Int

    enum CodingKeys: String, CodingKey {
        case version, derivedFrom = "derived_from", method, parameters, status, footprint
        case compressionRatio = "compression_ratio", parameterRatio = "parameter_ratio", depth
    }
}

/// A version's lineage walked both ways.
public struct LineageView: Codable, Sendable, Equatable {
    /// Model.
    public var model: String
    /// The version asked about.
    public var version: LineageNode
    /// Parent, grandparent, … (nearest first).
    public var ancestors: [LineageNode]
    /// Children, grandchildren, … (breadth first).
    public var descendants: [LineageNode]
}

/// Registers, lists, aliases and retires versions; stores reference profiles; walks lineage.
public struct VersionRegistry: Sendable {
    let store: any ControlPlaneStore
    let clock: WallClock

    /// Aliases the registry accepts.
    public static let aliases: Set<String> = ["stable", "candidate", "baseline", "previous"]

    /// Creates the registry.
    public init(store: any ControlPlaneStore, clock: WallClock = .system) {
        self.store = store
        self.clock = clock
    }

    /// Registers a version. The same model + version with the same digest is idempotent (returns
    /// `created == false`); with a different digest it is refused as a conflict.
    public func register(_ dto: ModelVersion, by principal: Principal) async throws -> (version: ModelVersion, created: Bool) {
        try principal.require(.versionsWrite)
        try BodyValidation.validate(dto)
        try BodyValidation.id(dto.model, "model")
        try BodyValidation.id(dto.version, "version")
        let digest = dto.artifact.sha256.lowercased()
        guard digest.utf8.count == 64, digest.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
            throw ControlPlaneError.invalidField("artifact.sha256", "must be 64 hex characters (the artifact's SHA-256)")
        }
        if dto.artifact.uri.isEmpty { throw ControlPlaneError.invalidField("artifact.uri", "must not be empty") }
        if let fp = dto.footprint {
            if let b = fp.bytes, b < 0 { throw ControlPlaneError.invalidField("footprint.bytes", "must not be negative") }
            if let p = fp.parameterCount, p < 0 { throw ControlPlaneError.invalidField("footprint.parameter_count", "must not be negative") }
        }
        for (name, value) in dto.offlineMetrics where !value.isFinite {
            throw ControlPlaneError.invalidField("offline_metrics.\(name)", "must be a finite number")
        }
        if let lineage = dto.lineage {
            if lineage.derivedFrom == dto.version {
                throw ControlPlaneError.invalidField("lineage.derived_from", "a version cannot be derived from itself")
            }
            guard try await store.version(model: dto.model, version: lineage.derivedFrom) != nil else {
                throw ControlPlaneError.unprocessable(
                    "parent version \(dto.model)/\(lineage.derivedFrom) is not registered; register it first",
                    field: "lineage.derived_from")
            }
        }
        let now = clock.now()
        switch try await store.insertVersion(VersionRecord(registering: dto, at: now, by: principal.actor)) {
        case .existing(let existing):
            guard existing.sha256 == digest else {
                throw ControlPlaneError.conflict(
                    "\(dto.model)/\(dto.version) is already registered with sha256 \(existing.sha256); register the new artifact under a new version id",
                    field: "artifact.sha256")
            }
            return (existing.dto, false)
        case .inserted(let record):
            var detail = ["sha256": digest, "uri": dto.artifact.uri]
            if let lineage = dto.lineage {
                detail["derived_from"] = lineage.derivedFrom
                detail["method"] = lineage.method.rawValue
            }
            try await audit(principal, "version.register", "\(dto.model)/\(dto.version)", detail)
            return (record.dto, true)
        }
    }

    /// Versions, optionally of one model.
    public func list(model: String? = nil) async throws -> [ModelVersion] {
        try await store.versions(model: model).map(\.dto)
    }

    /// One version, addressed by id or alias (`stable`, `candidate`, …).
    public func show(model: String, version: String) async throws -> VersionRecord {
        if let record = try await store.version(model: model, version: version) { return record }
        if Self.aliases.contains(version),
            let aliased = try await store.versions(model: model).first(where: { $0.aliases.contains(version) })
        {
            return aliased
        }
        throw ControlPlaneError.notFound("version \(model)/\(version) is not registered; list versions to see what is")
    }

    /// Points an alias at a version (no training-run check; see `setAlias(model:version:alias:by:promotionGuard:override:)`).
    public func setAlias(model: String, version: String, alias: String, by principal: Principal) async throws -> ModelVersion {
        try await setAlias(model: model, version: version, alias: alias, by: principal, promotionGuard: AllowAllPromotionGuard())
    }

    /// Points an alias at a version; `stable` is refused (409, field `training_run_id`) while `promotionGuard`
    /// blocks the version's training run, unless `override` is set — then the override is written to the audit log.
    public func setAlias(
        model: String, version: String, alias: String, by principal: Principal, promotionGuard: any PromotionGuard,
        override: Bool = false
    ) async throws -> ModelVersion {
        try principal.require(.versionsWrite)
        guard Self.aliases.contains(alias) else {
            throw ControlPlaneError.invalidField("alias", "unknown alias \"\(alias)\"; use one of \(Self.aliases.sorted().joined(separator: ", "))")
        }
        let record = try await existing(model: model, version: version)
        guard record.status != .retired else {
            throw ControlPlaneError.conflict("\(model)/\(version) is retired; an alias cannot point at it")
        }
        var detail = ["alias": alias]
        if alias == Self.promotedAlias, let run = record.trainingRunID, let reason = try await promotionGuard.promotionBlocked(runID: run) {
            guard override else {
                throw ControlPlaneError.conflict(
                    "\(model)/\(version) was trained by run \"\(run)\", which is flagged: \(reason); fix and retrain, or promote anyway"
                        + " with {\"override\": true} (droverctl versions alias … --override-training-flag)",
                    field: "training_run_id")
            }
            try principal.require(.retrainingManage)
            detail["override"] = "training_flag"
            detail["training_run_id"] = run
            detail["blocked_reason"] = reason
        }
        try await store.setAlias(model: model, alias: alias, version: version)
        try await audit(principal, "version.alias", "\(model)/\(version)", detail)
        return try await show(model: model, version: version).dto
    }

    /// The alias a flagged training run's version may not take without an override.
    public static let promotedAlias = "stable"

    /// Removes an alias.
    public func removeAlias(model: String, alias: String, by principal: Principal) async throws {
        try principal.require(.versionsWrite)
        guard try await store.removeAlias(model: model, alias: alias) else {
            throw ControlPlaneError.notFound("alias \"\(alias)\" of \(model) is not set")
        }
        try await audit(principal, "version.unalias", model, ["alias": alias])
    }

    /// Retires a version; refused while any agent's desired state points at it.
    public func retire(model: String, version: String, by principal: Principal) async throws -> ModelVersion {
        try principal.require(.versionsWrite)
        let record = try await existing(model: model, version: version)
        if record.status == .retired { return record.dto }
        let desired = try await store.desired(model: model, version: version)
        guard desired.isEmpty else {
            throw ControlPlaneError.conflict(
                "\(desired.count) agent(s) should still serve \(model)/\(version) (e.g. \(desired[0].agentID)); move them to another version first")
        }
        _ = try await store.setStatus(model: model, version: version, status: .retired)
        for alias in record.aliases { _ = try await store.removeAlias(model: model, alias: alias) }
        try await audit(principal, "version.retire", "\(model)/\(version)", [:])
        return try await show(model: model, version: version).dto
    }

    /// Stores a version's reference profile (its model and version must match the path).
    public func putProfile(_ profile: ReferenceProfile, model: String, version: String, by principal: Principal) async throws -> String {
        try principal.require(.versionsWrite)
        try BodyValidation.validate(profile)
        guard profile.model == model else { throw ControlPlaneError.invalidField("model", "must be \"\(model)\" as in the path") }
        guard profile.version == version else { throw ControlPlaneError.invalidField("version", "must be \"\(version)\" as in the path") }
        for (i, f) in profile.features.enumerated() {
            if f.kind == .numeric, let edges = f.edges, let counts = f.counts, counts.count != edges.count + 1 {
                throw ControlPlaneError.invalidField("features[\(i)].counts", "must have edges.count + 1 = \(edges.count + 1) entries")
            }
            if f.kind == .categorical, let cats = f.categories, let counts = f.counts, counts.count != cats.count + 1 {
                throw ControlPlaneError.invalidField("features[\(i)].counts", "must have categories.count + 1 = \(cats.count + 1) entries (__other__ last)")
            }
        }
        _ = try await existing(model: model, version: version)
        let stored = try ReferenceProfileDigest.canonical(profile)
        try await store.putProfile(model: model, version: version, profile: stored)
        try await audit(principal, "profile.put", "\(model)/\(version)", ["digest": stored.digest])
        return stored.digest
    }

    /// A version's stored profile.
    public func profile(model: String, version: String) async throws -> StoredProfile {
        let record = try await show(model: model, version: version)
        guard let profile = try await store.profile(model: model, version: record.version) else {
            throw ControlPlaneError.notFound("\(model)/\(record.version) has no reference profile; upload one with PUT …/profile")
        }
        return profile
    }

    /// The lineage of a version: ancestors up to the root, descendants breadth first, with size ratios.
    public func lineage(model: String, version: String) async throws -> LineageView {
        let record = try await show(model: model, version: version)
        var ancestors: [LineageNode] = []
        var seen: Set<String> = [record.version]
        var child = record
        var depth = 0
        while let parentID = child.lineage?.derivedFrom, !seen.contains(parentID),
            let parent = try await store.version(model: model, version: parentID)
        {
            depth -= 1
            seen.insert(parentID)
            ancestors.append(try await node(parent, depth: depth))
            child = parent
        }
        var descendants: [LineageNode] = []
        var frontier = [record]
        depth = 0
        while !frontier.isEmpty {
            depth += 1
            var next: [VersionRecord] = []
            for parent in frontier {
                for c in try await store.children(model: model, of: parent.version) where seen.insert(c.version).inserted {
                    descendants.append(Self.node(c, parent: parent, depth: depth))
                    next.append(c)
                }
            }
            frontier = next
        }
        return LineageView(model: model, version: try await node(record, depth: 0), ancestors: ancestors, descendants: descendants)
    }

    private func node(_ record: VersionRecord, depth: Int) async throws -> LineageNode {
        let parent = try await record.lineage.asyncMap { try await store.version(model: record.model, version: $0.derivedFrom) } ?? nil
        return Self.node(record, parent: parent, depth: depth)
    }

    static func node(_ record: VersionRecord, parent: VersionRecord?, depth: Int) -> LineageNode {
        func ratio(_ a: Int?, _ b: Int?) -> Double? {
            guard let a, let b, a > 0, b > 0 else { return nil }
            return Double(a) / Double(b)
        }
        return LineageNode(
            version: record.version, derivedFrom: record.lineage?.derivedFrom, method: record.lineage?.method,
            parameters: record.lineage?.parameters, status: record.status, footprint: record.footprint,
            compressionRatio: ratio(parent?.footprint?.bytes, record.footprint?.bytes),
            parameterRatio: ratio(parent?.footprint?.parameterCount, record.footprint?.parameterCount), depth: depth)
    }

    private func existing(model: String, version: String) async throws -> VersionRecord {
        guard let record = try await store.version(model: model, version: version) else {
            throw ControlPlaneError.notFound("version \(model)/\(version) is not registered; list versions to see what is")
        }
        return record
    }

    private func audit(_ principal: Principal, _ action: String, _ target: String, _ detail: [String: String]) async throws {
        try await store.appendAudit(AuditEntry(principal: principal, at: clock.now(), action: action, target: target, detail: detail))
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
