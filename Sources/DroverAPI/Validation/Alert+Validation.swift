extension Alert: NestedValidatable {
    /// Checks fingerprint and rule ids, the severity, bounded labels and annotations, and `ends_at` ≥ `starts_at`.
    public func validate() throws(ValidationError) {
        try Check.id(fingerprint, "fingerprint")
        try Check.id(rule, "rule")
        try Check.severity(severity, "severity")
        try Check.labels(labels, "labels")
        try Check.labels(annotations, "annotations", maxValueLength: ValidationLimits.maxTextLength)
        if let endsAt, endsAt < startsAt {
            throw ValidationError(
                field: "ends_at",
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
        do {
            try Check.id(name, "name")
            try Check.id(metric, "metric")
            if let model { try Check.pathSegment(model, "model") }
            try Check.finite(threshold, "threshold")
            try Check.nonNegative(forSeconds, "for_seconds")
            try Check.severity(severity, "severity")
        } catch {
            throw error.under(path)
        }
    }
}
