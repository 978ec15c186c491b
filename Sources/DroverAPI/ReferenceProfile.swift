/// What "normal" looks like for one model version: per feature, the bins or categories drift is measured over.
///
/// Numeric features carry interior bin edges (reference quantiles 0.1…0.9, duplicates removed) and the
/// reference counts per bin; categorical features carry the top categories (the rest counts as `__other__`).
public struct ReferenceProfile: Codable, Sendable, Equatable {
    /// Wire schema version.
    public var schemaVersion: Int
    /// Model name.
    public var model: String
    /// Version the profile describes.
    public var version: String
    /// Input features.
    public var features: [FeatureProfile]
    /// Model outputs.
    public var outputs: [FeatureProfile]

    /// Creates a profile.
    public init(schemaVersion: Int = DroverAPIInfo.schemaVersion, model: String, version: String, features: [FeatureProfile], outputs: [FeatureProfile] = []) {
        self.schemaVersion = schemaVersion
        self.model = model
        self.version = version
        self.features = features
        self.outputs = outputs
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", model, version, features, outputs
    }
}

/// The reference distribution of one feature.
public struct FeatureProfile: Codable, Sendable, Equatable {
    /// Feature name.
    public var name: String
    /// Numeric, categorical or embedding.
    public var kind: FeatureKind
    /// Number of reference values.
    public var n: Int
    /// Numeric: interior bin edges, strictly increasing (`edges.count + 1` bins; outer bins open).
    public var edges: [Double]?
    /// Numeric: reference counts per bin. Categorical: counts per entry of `categories`, then `__other__` last.
    public var counts: [Int]?
    /// Categorical: the reference's top categories (without `__other__`).
    public var categories: [String]?
    /// Embedding: the reference centroid.
    public var centroid: [Double]?
    /// Embedding: per-dimension reference standard deviations, for the share of drifted dimensions.
    public var dimensionStd: [Double]?

    /// Creates a feature profile.
    public init(
        name: String, kind: FeatureKind, n: Int, edges: [Double]? = nil, counts: [Int]? = nil, categories: [String]? = nil,
        centroid: [Double]? = nil, dimensionStd: [Double]? = nil
    ) {
        self.name = name
        self.kind = kind
        self.n = n
        self.edges = edges
        self.counts = counts
        self.categories = categories
        self.centroid = centroid
        self.dimensionStd = dimensionStd
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, n, edges, counts, categories, centroid, dimensionStd = "dimension_std"
    }
}
