/// A part of a wire document that can also be validated inside a larger one (`drift.features[3]`).
///
/// Its `validate()` names fields relative to the value itself (`psi`, `counts["c03"]`, `bins[2]`). A parent checks it
/// with `validate(at: "key")` (or `Check.elements` for a list), which prefixes the path only if a check fails; a
/// valid document thus builds no path strings. To add a field check, call a `Check` function with the field's key
/// as a literal: `try Check.nonNegative(n, "n")`.
public protocol NestedValidatable: Validatable {}

extension NestedValidatable {
    /// Validates this value as the field `path` of a larger document (`drift`, `reports[3]`, or `""` for the
    /// document itself): errors name `path.field`.
    @inline(__always)
    public func validate(at path: String) throws(ValidationError) {
        do { try validate() } catch { throw error.under(path) }
    }

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
