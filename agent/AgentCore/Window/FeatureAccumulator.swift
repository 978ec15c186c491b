import DroverAPI
import DroverStats

/// The values of one feature (or output) in one window: exact counts over the reference bins or categories,
/// plus a bounded sample of numeric values for KS and Wasserstein.
public struct FeatureAccumulator: Sendable, Equatable {
    /// The reference profile the counts are taken over.
    public let profile: FeatureProfile
    /// Values counted.
    public private(set) var n = 0
    private var bins: [Int]
    private let binning: NumericBins?
    private var categories: [String: Int] = [:]
    private var sample: Reservoir

    /// Starts counting against a profile.
    public init(profile: FeatureProfile, maxSamples: Int) {
        self.profile = profile
        self.bins = [Int](repeating: 0, count: (profile.edges?.count ?? 0) + 1)
        self.binning = profile.kind == .numeric ? (try? NumericBins(edges: profile.edges ?? [])) : nil
        self.sample = Reservoir(capacity: maxSamples, seed: UInt64(truncatingIfNeeded: profile.name.hashValue))
    }

    /// Counts one value.
    public mutating func add(_ value: FeatureValue) {
        switch profile.kind {
        case .numeric:
            guard let number = value.number, number.isFinite, let binning else { return }
            bins[binning.index(of: number)] += 1
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

    /// The drift input for this window.
    public var driftInput: DriftInput { DriftInput(profile: profile, counts: counts, samples: sample.values) }
}
