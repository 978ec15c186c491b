/// The JSON error body every Drover endpoint returns: `{"error":{"code","message","field"?}}`.
public struct APIErrorBody: Codable, Sendable, Equatable {
    /// The error detail.
    public struct Detail: Codable, Sendable, Equatable {
        /// A stable machine-readable code, e.g. `invalid_field`, `unauthorized`, `not_found`.
        public var code: String
        /// A human-readable message saying what to fix.
        public var message: String
        /// The offending field's JSON path, for validation errors.
        public var field: String?

        /// Creates an error detail.
        public init(code: String, message: String, field: String? = nil) {
            self.code = code
            self.message = message
            self.field = field
        }
    }

    /// The error.
    public var error: Detail

    /// Creates an error body.
    public init(code: String, message: String, field: String? = nil) {
        self.error = Detail(code: code, message: message, field: field)
    }
}
