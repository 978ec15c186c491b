/// Why training steps were refused; the message says what to fix.
public struct TrainingError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: String, Sendable, Equatable {
        case invalidStep = "invalid_step"
        case unknownRun = "unknown_run"
    }

    private let code: Code
    /// The field at fault (`run_id`, `step`, …).
    public let field: String?
    /// What went wrong and what to do.
    public let message: String

    private init(_ code: Code, field: String?, _ message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    /// A stable machine-readable code.
    public var codeName: String { code.rawValue }

    /// Describes the error.
    public var description: String { field.map { "\(code.rawValue) (\($0)): \(message)" } ?? "\(code.rawValue): \(message)" }

    /// A step is invalid.
    public static func invalidStep(field: String, _ message: String) -> Self { Self(.invalidStep, field: field, message) }
    /// No such run.
    public static func unknownRun(_ id: String) -> Self { Self(.unknownRun, field: "run_id", "no training run \"\(id)\" has posted steps") }
}
