/// Why a retraining operation failed; the message says what to fix.
public struct RetrainError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: String, Sendable, Equatable {
        case invalidPolicy = "invalid_policy"
        case unknownRequest = "unknown_request"
        case dispatch
    }

    private let code: Code
    /// The field at fault, when one is.
    public let field: String?
    /// What went wrong and what to do.
    public let message: String

    private init(_ code: Code, field: String? = nil, _ message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    /// A stable machine-readable code.
    public var codeName: String { code.rawValue }

    /// Describes the error.
    public var description: String { field.map { "\(code.rawValue) (\($0)): \(message)" } ?? "\(code.rawValue): \(message)" }

    /// A policy field is invalid.
    public static func invalidPolicy(field: String, _ message: String) -> Self { Self(.invalidPolicy, field: field, message) }
    /// No request with that id.
    public static func unknownRequest(_ id: String) -> Self { Self(.unknownRequest, field: "id", "no retrain request \"\(id)\"") }
    /// Dispatching a request failed.
    public static func dispatch(_ message: String) -> Self { Self(.dispatch, message) }
}
