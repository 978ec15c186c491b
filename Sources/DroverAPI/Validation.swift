/// A contract violation found while validating a wire document; names the field so the sender can fix it.
public struct ValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The JSON path of the offending field, e.g. `drift.features[3].counts`.
    public var field: String
    /// What is wrong and what is expected.
    public var message: String

    /// Creates a validation error for a field.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    /// `field: message`.
    public var description: String { "\(field): \(message)" }
}

/// A wire document that can check itself against the contract before it is sent or stored.
public protocol Validatable {
    /// Throws the first `ValidationError` found, naming the field.
    func validate() throws(ValidationError)
}

/// Reusable checks for `Validatable` implementations; each throws a `ValidationError` naming `field`.
public enum Check {
    /// The maximum length of an id or name.
    public static let maxIDLength = 256

    /// Rejects an empty or over-long identifier, or one with control characters or whitespace.
    public static func id(_ value: String, _ field: String) throws(ValidationError) {
        if value.isEmpty { throw ValidationError(field: field, message: "must not be empty") }
        if value.utf8.count > maxIDLength {
            throw ValidationError(field: field, message: "must be at most \(maxIDLength) bytes, got \(value.utf8.count)")
        }
        if value.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) {
            throw ValidationError(field: field, message: "must not contain whitespace or control characters")
        }
    }

    /// Rejects NaN and infinities.
    public static func finite(_ value: Double, _ field: String) throws(ValidationError) {
        if !value.isFinite { throw ValidationError(field: field, message: "must be a finite number, got \(value)") }
    }

    /// Rejects NaN, infinities and negative values.
    public static func nonNegative(_ value: Double, _ field: String) throws(ValidationError) {
        try finite(value, field)
        if value < 0 { throw ValidationError(field: field, message: "must not be negative, got \(value)") }
    }

    /// Rejects negative integers.
    public static func nonNegative(_ value: Int, _ field: String) throws(ValidationError) {
        if value < 0 { throw ValidationError(field: field, message: "must not be negative, got \(value)") }
    }

    /// Rejects arrays longer than `limit`.
    public static func count(_ count: Int, atMost limit: Int, _ field: String) throws(ValidationError) {
        if count > limit { throw ValidationError(field: field, message: "has \(count) entries; at most \(limit) are allowed") }
    }

    /// Rejects a schema version this build does not understand.
    public static func schemaVersion(_ value: Int, _ field: String = "schema_version") throws(ValidationError) {
        if value < 1 || value > DroverAPIInfo.schemaVersion {
            throw ValidationError(
                field: field,
                message: "unsupported schema version \(value); this build understands 1...\(DroverAPIInfo.schemaVersion)")
        }
    }
}
