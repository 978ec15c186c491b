extension Alert: NestedValidatable {
    /// Checks fingerprint and rule ids, the severity, bounded labels and annotations, and `ends_at` ≥ `starts_at`.
    public func validate(at path: String) throws(ValidationError) {
        try Check.id(fingerprint, Check.path(path, "fingerprint"))
        try Check.id(rule, Check.path(path, "rule"))
        try Check.severity(severity, Check.path(path, "severity"))
        try Check.labels(labels, Check.path(path, "labels"))
        try Check.labels(annotations, Check.path(path, "annotations"), maxValueLength: ValidationLimits.maxTextLength)
        if let endsAt, endsAt < startsAt {
            throw ValidationError(
                field: Check.path(path, "ends_at"),
                message: "must not be before starts_at (\(RFC3339.format(startsAt))), got \(RFC3339.format(endsAt))")
        }
    }
}

extension AlertRule {
    /// Checks the rule against the wire contract: name and metric ids, model id, a finite threshold,
    /// `for_seconds` ≥ 0 and the severity.
    ///
    /// Named apart from `validate()` (and not `Validatable`) because ControlPlaneCore already gives `AlertRule` a
    /// `validate() throws(AlertError)`; two `validate()` overloads differing only in error type would be ambiguous.
    public func validateContract(at path: String = "") throws(ValidationError) {
        try Check.id(name, Check.path(path, "name"))
        try Check.id(metric, Check.path(path, "metric"))
        if let model { try Check.pathSegment(model, Check.path(path, "model")) }
        try Check.finite(threshold, Check.path(path, "threshold"))
        try Check.nonNegative(forSeconds, Check.path(path, "for_seconds"))
        try Check.severity(severity, Check.path(path, "severity"))
    }
}
