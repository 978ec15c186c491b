import DroverAPI

/// Scores merged counts against reference counts, all features of one group together (so false discoveries
/// can be controlled across them). The seam where DroverStats plugs in.
///
/// The fleet-health document itself (`FleetHealth`, `FleetHealthGroup`, …) is a DroverAPI type shared with clients.
public protocol FleetDriftScorer: Sendable {
    /// One score per input (nil when it cannot be computed).
    func score(_ inputs: [DriftInput]) -> [DriftScore?]
}

/// One feature's merged counts and reference counts, aligned, ready to score.
public struct DriftInput: Sendable, Equatable {
    /// Feature name.
    public var name: String
    /// Numeric or categorical.
    public var kind: FeatureKind
    /// Merged fleet counts.
    public var observed: [Int]
    /// Reference counts (same length).
    public var reference: [Int]

    /// Creates an input.
    public init(name: String, kind: FeatureKind, observed: [Int], reference: [Int]) {
        self.name = name
        self.kind = kind
        self.observed = observed
        self.reference = reference
    }
}
