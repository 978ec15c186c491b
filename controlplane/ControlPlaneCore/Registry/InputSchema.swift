import DroverAPI

/// The input features a version declares, each with the feature kinds its declaration allows, and the
/// comparison of that schema with the features agents see in their traffic. Pure values: no store, no clock.
///
/// A version declares inputs as tensors (`TensorSpec`). A tensor that packs several features (`features`) declares
/// each of them; any other tensor declares one feature named after it. Kinds come from the version's reference
/// profile when it describes the feature, else from the tensor: `BYTES`/`STRING` → categorical; a vector
/// (last dimension fixed above 1, no packed names) → embedding; other numbers → numeric or categorical (category
/// codes are often sent as numbers).
public struct InputSchema: Sendable, Equatable {
    /// Declared features by name, with their allowed kinds.
    public var features: [String: Set<FeatureKind>]

    /// Creates a schema from feature kinds.
    public init(features: [String: Set<FeatureKind>]) {
        self.features = features
    }

    /// The schema a version declares through its input tensors, refined by its reference profile.
    public init(inputs: [TensorSpec], profile: ReferenceProfile? = nil) {
        var features: [String: Set<FeatureKind>] = [:]
        for tensor in inputs {
            if let packed = tensor.features, !packed.isEmpty {
                for name in packed { features[name] = Self.packedKinds(datatype: tensor.datatype) }
            } else {
                features[tensor.name] = Self.tensorKinds(datatype: tensor.datatype, shape: tensor.shape)
            }
        }
        for feature in profile?.features ?? [] where features[feature.name] != nil { features[feature.name] = [feature.kind] }
        self.features = features
    }

    /// Whether the version declares no input features at all (nothing to check).
    public var isEmpty: Bool { features.isEmpty }

    /// Kinds a feature packed into a tensor of `datatype` may have.
    static func packedKinds(datatype: String) -> Set<FeatureKind> {
        isText(datatype) ? [.categorical] : [.numeric, .categorical]
    }

    /// Kinds of the one feature an unpacked tensor carries.
    static func tensorKinds(datatype: String, shape: [Int]) -> Set<FeatureKind> {
        if isText(datatype) { return [.categorical] }
        if let last = shape.last, shape.count >= 2, last > 1 { return [.embedding] }
        if let last = shape.last, shape.count >= 2, last < 0 { return [.numeric, .categorical, .embedding] }
        return [.numeric, .categorical]
    }

    private static func isText(_ datatype: String) -> Bool {
        let upper = datatype.uppercased()
        return upper == "BYTES" || upper == "STRING"
    }

    /// Compares this (the declared) schema with `observed` (what agents see): features declared but not seen are
    /// missing, seen but not declared are extra, and seen with a kind the declaration does not allow are mismatched.
    public func compare(with observed: InputSchema) -> SchemaDifference {
        var difference = SchemaDifference()
        for (name, declared) in features.sorted(by: { $0.key < $1.key }) {
            guard let seen = observed.features[name] else {
                difference.missing.append(name)
                continue
            }
            if declared.isDisjoint(with: seen) {
                difference.kindMismatches.append(
                    SchemaKindMismatch(name: name, declared: Self.sorted(declared), observed: Self.sorted(seen)))
            }
        }
        difference.extra = observed.features.keys.filter { features[$0] == nil }.sorted()
        return difference
    }

    /// Kinds in a stable order (numeric, categorical, embedding).
    static func sorted(_ kinds: Set<FeatureKind>) -> [FeatureKind] { FeatureKind.allCases.filter { kinds.contains($0) } }
}

/// How agents' features differ from a version's declared input schema.
public struct SchemaDifference: Sendable, Equatable {
    /// Declared, not seen in the traffic: the version would get no value for them (blocks).
    public var missing: [String] = []
    /// Seen in the traffic, not declared: the version ignores them (reported, does not block).
    public var extra: [String] = []
    /// Seen with a kind the declaration does not allow (blocks).
    public var kindMismatches: [SchemaKindMismatch] = []

    /// Creates a difference.
    public init(missing: [String] = [], extra: [String] = [], kindMismatches: [SchemaKindMismatch] = []) {
        self.missing = missing
        self.extra = extra
        self.kindMismatches = kindMismatches
    }

    /// Whether the version can take this traffic: nothing missing and no kind mismatch (extras are fine).
    public var isCompatible: Bool { missing.isEmpty && kindMismatches.isEmpty }
}
