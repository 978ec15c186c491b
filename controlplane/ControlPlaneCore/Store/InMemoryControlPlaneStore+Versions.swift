import Synchronization
import DroverAPI

extension InMemoryControlPlaneStore {
    /// Registers a version unless it exists.
    public func insertVersion(_ version: VersionRecord) async throws -> VersionInsertOutcome {
        state.withLock { s in
            let key = Self.versionKey(version.model, version.version)
            if let existing = s.versions[key] { return .existing(Self.withAliases(existing, s)) }
            var stored = version
            stored.aliases = []
            s.versions[key] = stored
            s.versionOrder.append(key)
            return .inserted(stored)
        }
    }

    /// One version.
    public func version(model: String, version: String) async throws -> VersionRecord? {
        state.withLock { s in s.versions[Self.versionKey(model, version)].map { Self.withAliases($0, s) } }
    }

    /// All versions.
    public func versions(model: String?) async throws -> [VersionRecord] {
        state.withLock { s in
            s.versionOrder.compactMap { s.versions[$0] }.filter { model == nil || $0.model == model }
                .map { Self.withAliases($0, s) }
        }
    }

    /// Children of a version.
    public func children(model: String, of version: String) async throws -> [VersionRecord] {
        state.withLock { s in
            s.versionOrder.compactMap { s.versions[$0] }
                .filter { $0.model == model && $0.lineage?.derivedFrom == version }
                .map { Self.withAliases($0, s) }
        }
    }

    /// Sets a status.
    public func setStatus(model: String, version: String, status: VersionStatus) async throws -> Bool {
        state.withLock { s in
            let key = Self.versionKey(model, version)
            guard s.versions[key] != nil else { return false }
            s.versions[key]!.status = status
            return true
        }
    }

    /// Points an alias.
    public func setAlias(model: String, alias: String, version: String) async throws {
        state.withLock { $0.aliases[model, default: [:]][alias] = version }
    }

    /// Removes an alias.
    public func removeAlias(model: String, alias: String) async throws -> Bool {
        state.withLock { $0.aliases[model]?.removeValue(forKey: alias) != nil }
    }

    /// Stores a profile.
    public func putProfile(model: String, version: String, profile: StoredProfile) async throws {
        state.withLock { s in
            let key = Self.versionKey(model, version)
            s.profiles[key] = profile
            s.versions[key]?.referenceProfileDigest = profile.digest
        }
    }

    /// A profile.
    public func profile(model: String, version: String) async throws -> StoredProfile? {
        state.withLock { $0.profiles[Self.versionKey(model, version)] }
    }

    static func withAliases(_ record: VersionRecord, _ s: State) -> VersionRecord {
        var record = record
        record.aliases = (s.aliases[record.model] ?? [:]).filter { $0.value == record.version }.map(\.key).sorted()
        return record
    }
}
