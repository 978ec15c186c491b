import DroverAPI

/// The values of one feature (or output) in one window: exact counts over the reference bins or categories,
/// plus a bounded sample of numeric values for KS and Wasserstein.
public struct FeatureAccumulator: Sendable, Equatable {
    /// The reference profile the counts are taken over.
    public let profile: FeatureProfile
    /// Values counted.
    public private(set) var n = 0
    private var bins: [Int]
    private var categories: [String: Int] = [:]
    private var sample: Reservoir

    /// Starts counting against a profile.
    public init(profile: FeatureProfile, maxSamples: Int) {
        self.profile = profile
        self.bins = [Int](repeating: 0, count: (profile.edges?.count ?? 0) + 1)
        self.sample = Reservoir(capacity: maxSamples, seed: UInt64(truncatingIfNeeded: profile.name.hashValue))
    }

    /// Counts one value.
    public mutating func add(_ value: FeatureValue, statistics: some AgentStatistics) {
        switch profile.kind {
        case .numeric:
            guard let number = value.number, number.isFinite else { return }
            bins[statistics.bin(of: number, edges: profile.edges ?? [])] += 1
            sample.add(number)
        case .categorical:
            let label = value.categoryLabel
            let known = profile.categories?.contains(label) ?? false
            categories[known ? label : DriftCounts.otherCategory, default: 0] += 1
        case .embedding:
            return
        }
        n += 1
    }

    /// The mergeable counts.
    public var counts: DriftCounts {
        profile.kind == .categorical ? .categories(categories) : .bins(bins)
    }

    /// The drift entry for this window.
    public func drift(statistics: some AgentStatistics) -> FeatureDrift {
        statistics.drift(profile: profile, counts: counts, samples: sample.values)
    }
}
