import DroverAPI

/// Which of a rollup's drift counts fleet health may use, and which reports it must leave out.
public struct DriftSplit: Sendable, Equatable {
    /// The profile the usable counts are over (the stored one, else the rollup's first).
    public var digest: String?
    /// The usable counts.
    public var counts: ProfileCounts
    /// Reports over another profile than the stored one, per digest they carried (their drift is excluded).
    public var mismatched: [String: Int]
    /// Reports over other profiles when no profile is stored (nothing to decide by; not merged).
    public var unmergeable: Int

    /// Creates a split.
    public init(digest: String?, counts: ProfileCounts, mismatched: [String: Int] = [:], unmergeable: Int = 0) {
        self.digest = digest
        self.counts = counts
        self.mismatched = mismatched
        self.unmergeable = unmergeable
    }
}

extension ReportRollup {
    /// Splits the drift counts by profile: with a stored profile digest, only counts over it are usable and every
    /// other digest's reports are mismatches; without one, the rollup's first profile is used as before.
    public func driftSplit(storedProfile: String?) -> DriftSplit {
        let main = ProfileCounts(reports: profileReports, features: features, outputs: outputs)
        let others = otherProfiles ?? [:]
        guard let storedProfile else {
            return DriftSplit(digest: referenceProfile, counts: main, unmergeable: others.values.reduce(0) { $0 + $1.reports })
        }
        var all = others
        if let referenceProfile { all[referenceProfile] = main }
        var mismatched: [String: Int] = [:]
        for (digest, counts) in all where digest != storedProfile && counts.reports > 0 { mismatched[digest] = counts.reports }
        return DriftSplit(
            digest: storedProfile, counts: all[storedProfile] ?? ProfileCounts(reports: 0), mismatched: mismatched)
    }
}
