#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension Check {
    /// Joins a parent JSON path and a child key: `("drift", "features")` → `drift.features`.
    public static func path(_ base: String, _ key: String) -> String { base.isEmpty ? key : "\(base).\(key)" }

    /// Appends an array index: `("drift.features", 3)` → `drift.features[3]`.
    public static func path(_ base: String, _ index: Int) -> String { "\(base)[\(index)]" }

    /// Appends a map key: `("labels", "zone")` → `labels["zone"]`.
    public static func path(_ base: String, key: String) -> String { "\(base)[\"\(key)\"]" }

    /// Whether any UTF-8 byte of `value` satisfies `predicate`: a loop over the string's contiguous bytes when it
    /// has them (native strings do), which is several times faster than iterating `utf8`.
    @inline(__always)
    static func containsByte(_ value: String, where predicate: (UInt8) -> Bool) -> Bool {
        value.utf8.withContiguousStorageIfAvailable { bytes in bytes.contains(where: predicate) }
            ?? value.utf8.contains(where: predicate)
    }

    /// Rejects a name that cannot be one URL path segment of `/v1/models/{model}/versions/{version}`:
    /// only letters, digits, `.`, `_`, `-`, at most 128 bytes, not `.` or `..`.
    public static func pathSegment(_ value: String, _ field: String) throws(ValidationError) {
        try id(value, field)
        if value.utf8.count > 128 {
            throw ValidationError(field: field, message: "must be at most 128 bytes, got \(value.utf8.count)")
        }
        if value == "." || value == ".." {
            throw ValidationError(field: field, message: "must not be '.' or '..'")
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                continue
            default:
                throw ValidationError(
                    field: field,
                    message: "may contain only letters, digits, '.', '_' and '-' (got \"\(value)\")")
            }
        }
    }

    /// Rejects an optional id that is present but malformed.
    public static func optionalID(_ value: String?, _ field: String) throws(ValidationError) {
        if let value { try id(value, field) }
    }

    /// Rejects text longer than `limit` bytes or containing control characters other than tab and newline.
    public static func text(
        _ value: String, _ field: String, maxLength limit: Int = ValidationLimits.maxTextLength, allowEmpty: Bool = true
    ) throws(ValidationError) {
        if !allowEmpty && value.isEmpty { throw ValidationError(field: field, message: "must not be empty") }
        if value.utf8.count > limit {
            throw ValidationError(field: field, message: "must be at most \(limit) bytes, got \(value.utf8.count)")
        }
        // Control characters are single ASCII bytes in UTF-8.
        if containsByte(value, where: { ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A) || $0 == 0x7F }) {
            throw ValidationError(field: field, message: "must not contain control characters")
        }
    }

    /// Rejects a label map with too many pairs, malformed keys or over-long values.
    ///
    /// Keys: 1–128 bytes of letters, digits, `.`, `_`, `-`, `/`; values: at most 256 bytes, no control characters.
    public static func labels(
        _ labels: [String: String], _ field: String, maxCount: Int = ValidationLimits.maxLabels,
        maxValueLength: Int = ValidationLimits.maxLabelValueLength
    ) throws(ValidationError) {
        try count(labels.count, atMost: maxCount, field)
        try entries(labels, field) { key, value throws(ValidationError) in
            try labelKeyProblem(key)
            try text(value, "", maxLength: maxValueLength)
        }
    }

    /// Rejects a label key that is empty, too long or has characters outside letters, digits, `.`, `_`, `-`, `/`.
    public static func labelKey(_ key: String, _ field: String) throws(ValidationError) {
        do { try labelKeyProblem(key) } catch { throw error.under(mapKey: key).under(field) }
    }

    /// `labelKey` with the error naming the entry itself (`""`), for use inside `entries`.
    private static func labelKeyProblem(_ key: String) throws(ValidationError) {
        let keyField = ""
        if key.isEmpty { throw ValidationError(field: keyField, message: "label keys must not be empty") }
        if key.utf8.count > ValidationLimits.maxLabelKeyLength {
            throw ValidationError(
                field: keyField, message: "key must be at most \(ValidationLimits.maxLabelKeyLength) bytes")
        }
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"),
                UInt8(ascii: "/"):
                continue
            default:
                throw ValidationError(
                    field: keyField, message: "key may contain only letters, digits, '.', '_', '-' and '/'")
            }
        }
    }

    /// Rejects a metrics map with too many entries, malformed names or non-finite values.
    public static func metrics(
        _ metrics: [String: Double], _ field: String, maxCount: Int = ValidationLimits.maxMetrics
    ) throws(ValidationError) {
        try count(metrics.count, atMost: maxCount, field)
        try entries(metrics, field) { name, value throws(ValidationError) in
            try id(name, "")
            try finite(value, "")
        }
    }

    /// Rejects an optional number that is present and not finite.
    public static func finite(_ value: Double?, _ field: String) throws(ValidationError) {
        if let value { try finite(value, field) }
    }

    /// Rejects an optional number that is present and NaN, infinite or negative.
    public static func nonNegative(_ value: Double?, _ field: String) throws(ValidationError) {
        if let value { try nonNegative(value, field) }
    }

    /// Rejects an optional integer that is present and negative.
    public static func nonNegative(_ value: Int?, _ field: String) throws(ValidationError) {
        if let value { try nonNegative(value, field) }
    }

    /// Rejects a number outside `range` (or not finite).
    public static func within(_ value: Double, _ range: ClosedRange<Double>, _ field: String) throws(ValidationError) {
        try finite(value, field)
        if !range.contains(value) {
            throw ValidationError(
                field: field, message: "must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
    }

    /// Rejects an optional number outside `range`.
    public static func within(_ value: Double?, _ range: ClosedRange<Double>, _ field: String) throws(ValidationError) {
        if let value { try within(value, range, field) }
    }

    /// Rejects values that are not finite or not strictly increasing.
    public static func strictlyIncreasing(_ values: [Double], _ field: String) throws(ValidationError) {
        var previous = -Double.infinity
        for (index, value) in values.enumerated() {
            // `previous < value` also fails for NaN; finite values pass it unless they do not increase.
            if value.isFinite && (index == 0 || previous < value) {
                previous = value
                continue
            }
            try finite(value, path(field, index))
            throw ValidationError(
                field: path(field, index),
                message: "must be strictly increasing: \(value) does not exceed the previous value \(previous)")
        }
    }

    /// Rejects negative entries of a count array.
    public static func nonNegativeCounts(_ counts: [Int], _ field: String) throws(ValidationError) {
        for (index, value) in counts.enumerated() where value < 0 {
            throw ValidationError(field: path(field, index), message: "counts must not be negative, got \(value)")
        }
    }

    /// Rejects anything but exactly 64 lowercase hexadecimal characters (a hex SHA-256 digest).
    public static func sha256Hex(_ value: String, _ field: String) throws(ValidationError) {
        let ok =
            value.utf8.count == 64
            && value.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
        if !ok {
            throw ValidationError(
                field: field,
                message:
                    "must be a hex SHA-256 digest: exactly 64 lowercase hex characters (got \(value.utf8.count) characters)"
            )
        }
    }

    /// Rejects a digest that is not `sha256:` followed by 64 lowercase hex characters.
    public static func prefixedSHA256(_ value: String, _ field: String) throws(ValidationError) {
        guard value.hasPrefix("sha256:") else {
            throw ValidationError(
                field: field, message: "must be a digest of the form sha256:<64 lowercase hex characters>")
        }
        try sha256Hex(String(value.dropFirst(7)), field)
    }

    /// Rejects a list with duplicate entries, naming the first duplicate.
    public static func unique(_ values: [String], _ field: String) throws(ValidationError) {
        guard values.count > 1 else { return }
        var seen = Set<String>(minimumCapacity: values.count)
        for (index, value) in values.enumerated() where !seen.insert(value).inserted {
            throw ValidationError(
                field: path(field, index), message: "duplicate entry \"\(value)\"; entries must be unique")
        }
    }

    /// Rejects a string that is not an RFC 3339 timestamp.
    public static func timestamp(_ value: String, _ field: String) throws(ValidationError) {
        if RFC3339.parse(value) == nil {
            throw ValidationError(
                field: field, message: "must be an RFC 3339 timestamp like 2026-11-29T04:00:00Z, got \"\(value)\"")
        }
    }

    /// Rejects a severity other than `critical`, `warning` or `info`.
    public static func severity(_ value: String, _ field: String) throws(ValidationError) {
        switch value {
        case "critical", "warning", "info": return
        default:
            throw ValidationError(field: field, message: "must be one of critical, warning, info; got \"\(value)\"")
        }
    }
}
