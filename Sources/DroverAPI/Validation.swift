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

    /// The same error seen from the value that holds the failing one as `key` (a JSON path or prefix):
    /// `psi` under `drift.features[3]` is `drift.features[3].psi`; `[2]` under `bins` is `bins[2]`.
    ///
    /// Validation names fields relative to the value being checked and joins the path only while an error
    /// propagates, so a valid document builds no path strings.
    public func under(_ key: String) -> ValidationError {
        var error = self
        if key.isEmpty {
            return error
        } else if field.isEmpty || field.utf8.first == UInt8(ascii: "[") {
            error.field = key + field
        } else {
            error.field = "\(key).\(field)"
        }
        return error
    }

    /// The same error seen from the list that holds the failing value at `index`: `psi` → `[3].psi`.
    public func under(index: Int) -> ValidationError { under("[\(index)]") }

    /// The same error seen from the map that holds the failing value at `key`: `""` → `["zone"]`.
    public func under(mapKey key: String) -> ValidationError { under("[\"\(key)\"]") }
}

/// A wire document that can check itself against the contract before it is sent or stored.
public protocol Validatable {
    /// Throws the first `ValidationError` found, naming the field.
    func validate() throws(ValidationError)
}

/// Reusable checks for `Validatable` implementations; each throws a `ValidationError` naming `field`.
///
/// Inside a `validate()`, pass the field's own key as a literal (`try Check.nonNegative(n, "n")`): keys are
/// relative to the value being validated, and parents add their prefix (`drift.features[3].`) only when a check
/// fails (`ValidationError.under(_:)`). Nested values use `validate(at: "key")`, lists `Check.elements` or
/// `Check.each`, maps `Check.entries`.
public enum Check {
    /// The maximum length of an id or name.
    public static let maxIDLength = 256

    /// Rejects an empty or over-long identifier, or one with control characters or whitespace.
    public static func id(_ value: String, _ field: String) throws(ValidationError) {
        if value.isEmpty { throw ValidationError(field: field, message: "must not be empty") }
        if value.utf8.count > maxIDLength {
            throw ValidationError(field: field, message: "must be at most \(maxIDLength) bytes, got \(value.utf8.count)")
        }
        // Whitespace and control characters below 0x21 and DEL are single ASCII bytes in UTF-8.
        if containsByte(value, where: { $0 < 0x21 || $0 == 0x7F }) {
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
