/// A part of a wire document that validates itself under a JSON path prefix (`drift.features[3]`).
public protocol NestedValidatable: Validatable {
    /// Throws the first `ValidationError` found; field names are prefixed with `path`.
    func validate(at path: String) throws(ValidationError)
}

extension NestedValidatable {
    /// Validates as a top-level document (field names without prefix).
    public func validate() throws(ValidationError) { try validate(at: "") }

    /// Whether the value passes validation.
    public var isValid: Bool {
        do { try validate() } catch { return false }
        return true
    }
}

extension Validatable {
    /// The first validation error, or nil when the document is valid.
    public var validationError: ValidationError? {
        do { try validate() } catch { return error }
        return nil
    }
}
