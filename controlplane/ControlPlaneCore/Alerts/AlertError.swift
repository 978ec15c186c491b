/// Why an alerting operation failed; the message says what to fix.
public struct AlertError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: String, Sendable, Equatable {
        case invalidRule = "invalid_rule"
        case unknownRule = "unknown_rule"
        case invalidReceiver = "invalid_receiver"
        case storage = "storage"
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

    /// A stable machine-readable code (`invalid_rule`, `unknown_rule`, …).
    public var codeName: String { code.rawValue }

    /// Describes the error.
    public var description: String { field.map { "\(code.rawValue) (\($0)): \(message)" } ?? "\(code.rawValue): \(message)" }

    /// A rule field is invalid.
    public static func invalidRule(field: String, _ message: String) -> Self { Self(.invalidRule, field: field, message) }
    /// No rule of that name exists.
    public static func unknownRule(_ name: String) -> Self {
        Self(.unknownRule, field: "name", "no alert rule named \"\(name)\"; list rules to see their names")
    }
    /// A webhook receiver is misconfigured.
    public static func invalidReceiver(field: String, _ message: String) -> Self { Self(.invalidReceiver, field: field, message) }
    /// The store failed.
    public static func storage(_ message: String) -> Self { Self(.storage, message) }
}
