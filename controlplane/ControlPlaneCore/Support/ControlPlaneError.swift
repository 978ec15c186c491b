/// Why a control-plane operation was refused or failed; the message says what to fix.
///
/// Only ControlPlaneHTTP maps `kind` to an HTTP status.
public struct ControlPlaneError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The broad class of failure, used for status mapping.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The input is malformed or violates the contract (a field is named).
        case invalidInput
        /// No credential, or one that is unknown or revoked.
        case unauthorized
        /// The credential is valid but may not do this.
        case forbidden
        /// The thing addressed does not exist.
        case notFound
        /// The request conflicts with stored state.
        case conflict
        /// Well-formed, but cannot be processed in the current state.
        case unprocessable
        /// The request body is over the size limit.
        case payloadTooLarge
        /// The store failed.
        case storage
    }

    private enum Code: String, Sendable, Equatable {
        case invalidField = "invalid_field"
        case unauthorized
        case forbidden
        case notFound = "not_found"
        case conflict
        case unprocessable
        case payloadTooLarge = "payload_too_large"
        case storage = "storage_error"

        var kind: Kind {
            switch self {
            case .invalidField: .invalidInput
            case .unauthorized: .unauthorized
            case .forbidden: .forbidden
            case .notFound: .notFound
            case .conflict: .conflict
            case .unprocessable: .unprocessable
            case .payloadTooLarge: .payloadTooLarge
            case .storage: .storage
            }
        }
    }

    private let code: Code
    /// The JSON path of the offending field, for input errors.
    public let field: String?
    /// What went wrong and what to do.
    public let message: String

    private init(_ code: Code, field: String? = nil, _ message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    /// The broad class of failure.
    public var kind: Kind { code.kind }
    /// A stable machine-readable code (`invalid_field`, `not_found`, …).
    public var codeName: String { code.rawValue }
    /// `code (field): message`.
    public var description: String { field.map { "\(code.rawValue) (\($0)): \(message)" } ?? "\(code.rawValue): \(message)" }

    /// A field is missing, malformed or out of range.
    public static func invalidField(_ field: String, _ message: String) -> Self { Self(.invalidField, field: field, message) }
    /// No valid credential was presented.
    public static func unauthorized(_ message: String) -> Self { Self(.unauthorized, message) }
    /// The credential may not perform this action.
    public static func forbidden(_ message: String) -> Self { Self(.forbidden, message) }
    /// The addressed resource does not exist.
    public static func notFound(_ message: String) -> Self { Self(.notFound, message) }
    /// The request conflicts with stored state.
    public static func conflict(_ message: String, field: String? = nil) -> Self { Self(.conflict, field: field, message) }
    /// The request cannot be processed in the current state.
    public static func unprocessable(_ message: String, field: String? = nil) -> Self { Self(.unprocessable, field: field, message) }
    /// The body exceeds the configured size limit.
    public static func payloadTooLarge(limit: Int) -> Self {
        Self(.payloadTooLarge, "the request body is larger than \(limit) bytes; send fewer reports per batch")
    }
    /// The store failed; the message carries the underlying error.
    public static func storage(_ message: String) -> Self { Self(.storage, message) }
}
