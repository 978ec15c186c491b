import DroverAPI

/// Runs the wire contract's own checks on a request body.
public enum BodyValidation {
    /// Calls `validate()` when the type conforms to `Validatable` (the conformances live in DroverAPI),
    /// mapping its `ValidationError` to an `invalid_field` error naming the field under `prefix`.
    public static func validate(_ value: some Any, prefix: String = "") throws(ControlPlaneError) {
        do {
            if let nested = value as? any NestedValidatable {
                try nested.validate(at: prefix)
            } else if let validatable = value as? any Validatable {
                try validatable.validate()
            }
        } catch {
            throw .invalidField(error.field, error.message)
        }
    }

    /// Rejects an invalid id with a message naming `field`.
    public static func id(_ value: String, _ field: String) throws(ControlPlaneError) {
        do { try Check.id(value, field) } catch { throw .invalidField(error.field, error.message) }
    }
}
