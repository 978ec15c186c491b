import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Computes fleet health from rollups: merges per model × version × zone, then derives quantiles, rates,
/// weighted means and drift on the merged counts (never by averaging agents' scores).
///
/// Drift counts are taken only over the version's stored reference profile: reports computed against another
/// profile (an agent with a stale cache, a profile replaced since) are kept and counted in `profile_mismatches`,
/// but their bins would not line up, so their counts stay out of fleet drift.
public struct FleetHealthService: Sendable {
    let store: any ControlPlaneStore
    let clock: WallClock
    let scorer: (any FleetDriftScorer)?
    let bucketSeconds: Int

    /// Creates the service; `scorer` computes drift statistics on merged counts.
    public init(
        store: any ControlPlaneStore, clock: WallClock = .system, scorer: (any FleetDriftScorer)?, bucketSeconds: Int = 60
    ) {
        self.store = store
        self.clock = clock
        self.scorer = scorer
        self.bucketSeconds = bucketSeconds
    }

    /// Fleet health for buckets starting in `[from, to)` (defaults: the last 15 minutes).
    public func health(model: String? = nil, version: String? = nil, zone: String? = nil, from: Date? = nil, to: Date? = nil)
        async throws -> FleetHealth
    {
        let end = to ?? clock.now()
        let start = from ?? end.addingTimeInterval(-900)
        guard start < end else { throw ControlPlaneError.invalidField("from", "must be before `to`") }
        let size = Double(bucketSeconds)
        let alignedStart = Date(timeIntervalSince1970: (start.timeIntervalSince1970 / size).rounded(.down) * size)
        let rows = try await store.rollups(RollupQuery(model: model, version: version, zone: zone, from: alignedStart, to: end))
        var merged: [GroupKey: ReportRollup] = [:]
        for row in rows {
            merged[GroupKey(model: row.key.model, version: row.key.version, zone: row.key.zone), default: ReportRollup()]
                .merge(row.rollup)
        }
        var profiles: [String: LoadedProfile?] = [:]
        var groups: [FleetHealthGroup] = []
        for (key, rollup) in merged.sorted(by: { ($0.key.model, $0.key.version, $0.key.zone) < ($1.key.model, $1.key.version, $1.key.zone) }) {
            let profileKey = key.model + "\u{0}" + key.version
            if profiles[profileKey] == nil {
                profiles[profileKey] = try await loadProfile(model: key.model, version: key.version)
            }
            let loaded = profiles[profileKey] ?? nil
            groups.append(Self.group(key: key, rollup: rollup, profile: loaded?.profile, digest: loaded?.digest, scorer: scorer))
        }
        return FleetHealth(from: alignedStart, to: end, groups: groups)
    }

    /// A stored profile, decoded (nil when its JSON no longer decodes), with its digest.
    struct LoadedProfile {
        var profile: ReferenceProfile?
        var digest: String
    }

    private func loadProfile(model: String, version: String) async throws -> LoadedProfile? {
        guard let stored = try await store.profile(model: model, version: version) else { return nil }
        return LoadedProfile(profile: try? DroverJSON.decode(ReferenceProfile.self, from: stored.json), digest: stored.digest)
    }

    struct GroupKey: Hashable {
        var model: String
        var version: String
        var zone: String
    }

    static func group(
        key: GroupKey, rollup: ReportRollup, profile: ReferenceProfile?, digest: String?, scorer: (any FleetDriftScorer)?
    ) -> FleetHealthGroup {
        let traffic = rollup.requests + rollup.errors
        let split = rollup.driftSplit(storedProfile: digest)
        var drift: [FleetFeatureDrift] = []
        // The version's stored profile is the reference; bins or categories must line up (checked per feature).
        for (role, counts, references) in [
            ("feature", split.counts.features, profile?.features ?? []), ("output", split.counts.outputs, profile?.outputs ?? []),
        ] {
            for name in counts.keys.sorted() {
                let merged = counts[name]!
                let reference = references.first { $0.name == name }
                drift.append(Self.featureDrift(name: name, role: role, merged: merged, reference: reference))
            }
        }
        let scorable = drift.indices.filter { drift[$0].referenceCounts != nil }
        if let scorer, !scorable.isEmpty {
            let scores = scorer.score(
                scorable.map {
                    DriftInput(name: drift[$0].name, kind: drift[$0].kind, observed: drift[$0].counts, reference: drift[$0].referenceCounts!)
                })
            for (k, i) in scorable.enumerated() where k < scores.count { drift[i].score = scores[k] }
        }
        return FleetHealthGroup(
            model: key.model, version: key.version, zone: key.zone, reports: rollup.reports, requests: rollup.requests,
            errors: rollup.errors, errorRate: traffic > 0 ? Double(rollup.errors) / Double(traffic) : nil,
            errorsByKind: rollup.errorsByKind, probes: rollup.probes, probeFailures: rollup.probeFailures,
            failovers: rollup.failovers,
            latencyMs: LatencyQuantiles(bounds: rollup.latencyBounds, counts: rollup.latencyCounts),
            validation: rollup.validation.weights.isEmpty
                ? nil : MetricMeans(source: rollup.validation.source, n: rollup.validation.n, metrics: rollup.validation.means),
            online: rollup.online.weights.isEmpty
                ? nil : MetricMeans(source: rollup.online.source, n: rollup.online.n, metrics: rollup.online.means),
            drift: drift, referenceProfile: split.digest,
            unmergeable: rollup.skippedLatency + rollup.skippedDrift + split.unmergeable,
            profileMismatches: split.mismatched.values.reduce(0, +), mismatchedProfiles: split.mismatched.isEmpty ? nil : split.mismatched)
    }

    /// Aligns merged counts with the reference (categories in reference order, `__other__` last).
    static func featureDrift(name: String, role: String, merged: MergedCounts, reference: FeatureProfile?) -> FleetFeatureDrift {
        var observed: [Int]
        var referenceCounts: [Int]? = nil
        if let bins = merged.bins {
            observed = bins
            if let ref = reference?.counts, ref.count == bins.count { referenceCounts = ref }
        } else {
            let categories = merged.categories ?? [:]
            if let reference, let names = reference.categories, let ref = reference.counts, ref.count == names.count + 1 {
                observed = names.map { categories[$0] ?? 0 }
                let known = Set(names)
                observed.append(categories.filter { !known.contains($0.key) }.values.reduce(0, +))
                referenceCounts = ref
            } else {
                let names = categories.keys.sorted()
                observed = names.map { categories[$0]! }
            }
        }
        return FleetFeatureDrift(
            name: name, role: role, kind: merged.kind, n: merged.n, counts: observed, referenceCounts: referenceCounts,
            score: nil)
    }
}
