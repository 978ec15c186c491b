import DroverAPI

/// The ranker's input features: their names, kinds and order, and how they map to the FP32 tensor row.
///
/// Each request row is `F` FP32 values in schema order. Numeric features are sent as they are.
/// Categorical features are sent as integer codes: the index of the value in `categories`
/// (0-based); a value the schema does not know is sent as `-1` and the model treats it as "unknown".
public struct FeatureSchema: Sendable, Equatable {
    /// One feature column.
    public struct Feature: Sendable, Equatable {
        /// The kind of a feature.
        public enum Kind: String, Sendable, Equatable {
            /// A real number.
            case numeric
            /// One label out of `categories`, encoded as its index.
            case categorical
        }

        /// The feature's name (the key in prediction events and the CSV column).
        public var name: String
        /// Numeric or categorical.
        public var kind: Kind
        /// The known labels of a categorical feature, in code order.
        public var categories: [String]

        /// Creates a numeric feature.
        public static func numeric(_ name: String) -> Feature { Feature(name: name, kind: .numeric, categories: []) }
        /// Creates a categorical feature with its known labels.
        public static func categorical(_ name: String, _ categories: [String]) -> Feature {
            Feature(name: name, kind: .categorical, categories: categories)
        }
    }

    /// The features in tensor order.
    public var features: [Feature]

    /// Creates a schema.
    public init(features: [Feature]) {
        self.features = features
    }

    /// The number of columns in a tensor row.
    public var width: Int { features.count }

    /// The feature names in tensor order.
    public var names: [String] { features.map(\.name) }

    /// The code sent in the tensor for a categorical value the schema does not know.
    public static let unknownCode: Float = -1

    /// The 12 item categories of the reference shop.
    public static let categories = [
        "electronics", "fashion", "home", "beauty", "sports", "toys",
        "books", "grocery", "garden", "automotive", "health", "pets",
    ]

    /// The devices known at training time.
    public static let devices = ["web", "ios", "android"]

    /// The reference ranker's schema: price, discount, category, popularity, text_similarity, user_activity, device.
    public static let ranker = FeatureSchema(features: [
        .numeric("price"),
        .numeric("discount"),
        .categorical("category", categories),
        .numeric("popularity"),
        .numeric("text_similarity"),
        .numeric("user_activity"),
        .categorical("device", devices),
    ])

    /// Encodes named feature values into one tensor row; throws naming the feature that is missing or of the wrong kind.
    public func encode(_ values: [String: FeatureValue]) throws(FeatureSchemaError) -> [Float] {
        var row: [Float] = []
        row.reserveCapacity(width)
        for feature in features {
            guard let value = values[feature.name] else { throw .missing(feature.name) }
            switch feature.kind {
            case .numeric:
                guard let number = value.number, number.isFinite else { throw .notNumeric(feature.name) }
                row.append(Float(number))
            case .categorical:
                let label = value.categoryLabel
                row.append(feature.categories.firstIndex(of: label).map { Float($0) } ?? Self.unknownCode)
            }
        }
        return row
    }

    /// Decodes a tensor row back into named values (unknown codes become `"__unknown__"`).
    public func decode(_ row: [Float]) -> [String: FeatureValue] {
        var values: [String: FeatureValue] = [:]
        for (index, feature) in features.enumerated() where index < row.count {
            switch feature.kind {
            case .numeric:
                values[feature.name] = .number(Double(row[index]))
            case .categorical:
                let code = Int(row[index])
                values[feature.name] = .string(
                    feature.categories.indices.contains(code) ? feature.categories[code] : "__unknown__")
            }
        }
        return values
    }
}

/// Why a set of named feature values could not be encoded into a tensor row.
public enum FeatureSchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A feature the schema needs is absent.
    case missing(String)
    /// A numeric feature holds a string or a non-finite number.
    case notNumeric(String)

    /// A message saying what to fix.
    public var description: String {
        switch self {
        case .missing(let name): return "feature \"\(name)\" is missing; every schema feature must be given"
        case .notNumeric(let name): return "feature \"\(name)\" must be a finite number"
        }
    }
}
