/// A single feature value on the wire: a JSON number or a JSON string (categorical).
public enum FeatureValue: Codable, Sendable, Equatable, Hashable {
    /// A numeric feature value.
    case number(Double)
    /// A categorical feature value.
    case string(String)

    /// Decodes a JSON number or string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .string(value ? "true" : "false")
        } else {
            throw DecodingError.typeMismatch(
                FeatureValue.self,
                .init(codingPath: decoder.codingPath, debugDescription: "a feature value must be a number or a string")
            )
        }
    }

    /// Encodes as a JSON number or string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        }
    }

    /// The numeric value, when this is a number.
    public var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The value as a category label: strings as they are, numbers in their shortest form.
    public var categoryLabel: String {
        switch self {
        case .string(let value): return value
        case .number(let value):
            if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
            return String(value)
        }
    }
}
